-- Every number on the suppression list (make demo: the numbers that must not be dialled again).
SELECT phone_e164 FROM marts.suppression_list;
