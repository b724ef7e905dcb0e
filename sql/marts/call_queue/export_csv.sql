-- `make leads`: the call queue as CSV (reasons joined by commas); ? = the target file.
COPY (
    SELECT * EXCLUDE (reasons), array_to_string(reasons, ',') AS reasons
    FROM marts.call_queue
    ORDER BY queue_position
) TO ? (HEADER, DELIMITER ',');
