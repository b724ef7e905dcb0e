"""Eve's shared business vocabularies: the one place both halves learn what words mean.

`brain_service` (live calls) and the Dagster assets (journeys, revenue ops, lead factory) import
these modules, so an outcome, an objection class, a do-not-call request, an email address (written
or spoken) and a phone number are recognised the same way everywhere:

* `vocabulary.outcomes`   — call outcomes and their precedence;
* `vocabulary.objections` — objection classes and the classifier for a caller's line;
* `vocabulary.intents`    — do-not-call and "are you a robot?" recognition;
* `vocabulary.emails`     — email addresses, literal and spoken, generic inboxes;
* `vocabulary.phones`     — E.164 normalisation and fictional (synthetic) numbers;
* `vocabulary.speech_guards`, `vocabulary.readability`, `vocabulary.speakable` — what may be spoken
  (the brain guards every sentence with them; prompt versions must pass them);
* `vocabulary.prompt_versions` — validation of a prompt version document (schema + speech guards).
"""
