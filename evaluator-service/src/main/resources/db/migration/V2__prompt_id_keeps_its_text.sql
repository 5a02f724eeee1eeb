-- A prompt id is bound to its text: a pair consumed again under its id may change its responses, its prompt's text
-- may not (the stored verdicts were given on it). The refusal is an integrity violation (SQLSTATE class 23), so the
-- listener dead-letters the record with this message instead of storing it over the original.
create function evaluation_pairs_keep_prompt() returns trigger language plpgsql as $$
begin
    if old.prompt is distinct from new.prompt then
        raise exception 'prompt id % already holds another text', old.prompt_id using errcode = 'integrity_constraint_violation';
    end if;
    return new;
end;
$$;

create trigger evaluation_pairs_keep_prompt before update on evaluation_pairs
    for each row execute function evaluation_pairs_keep_prompt();
