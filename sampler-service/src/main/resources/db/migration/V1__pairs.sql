-- The dataset: one row per prompt id, whatever the number of times its pair was delivered.
create table pairs (
    prompt_id       varchar(128) primary key,
    split           varchar(16)  not null,
    origin          varchar(16)  not null,
    semantic_type   varchar(16)  not null,
    safety_domain   varchar(64)  not null,
    value_domain    varchar(64)  not null,
    cultural_domain varchar(64)  not null,
    accepted_at     timestamp with time zone not null,
    stored_at       timestamp with time zone not null,
    -- the pairs.accepted record as it was consumed: the source of the API's answers and of the export
    event           text         not null
);

-- An export reads a split in prompt id order, a page at a time.
create index pairs_split_prompt_id on pairs (split, prompt_id);
