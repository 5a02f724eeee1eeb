-- A prompt id is bound to its text: a pair written again under its id may change (labels, responses), its prompt's
-- text may not. The refusal is an integrity violation (SQLSTATE class 23), so the writer dead-letters the record with
-- this message instead of storing it over the original.
create function pairs_keep_prompt_text() returns trigger language plpgsql as $$
begin
    if (old.event::jsonb #>> '{prompt,text}') is distinct from (new.event::jsonb #>> '{prompt,text}') then
        raise exception 'prompt id % already holds another text', old.prompt_id using errcode = 'integrity_constraint_violation';
    end if;
    return new;
end;
$$;

create trigger pairs_keep_prompt_text before update on pairs
    for each row execute function pairs_keep_prompt_text();
