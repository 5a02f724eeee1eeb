-- Table names carry the service's name: the sampler's dataset may live in the same database.

-- The pairs the evaluator has consumed from pairs.accepted: what runs are made over.
create table evaluation_pairs (
    prompt_id       varchar(128) primary key,
    split           varchar(16)  not null,
    origin          varchar(16)  not null,
    semantic_type   varchar(16)  not null,
    safety_domain   varchar(64)  not null,
    value_domain    varchar(64)  not null,
    cultural_domain varchar(64)  not null,
    prompt          text         not null,
    aligned         text         not null,
    misaligned      text         not null,
    stored_at       timestamp with time zone not null
);
create index evaluation_pairs_split on evaluation_pairs (split, prompt_id);

-- A run: targets x the pairs of a split x repeats. The streaming mode is the run 'streaming'.
create table evaluation_runs (
    run_id      varchar(128) primary key,
    split       varchar(16),
    targets     text         not null,
    repeats     integer      not null,
    state       varchar(16)  not null,
    created_at  timestamp with time zone not null,
    finished_at timestamp with time zone
);

-- The pairs of a run, fixed when it starts (the streaming run gains each new pair).
create table evaluation_run_pairs (
    run_id    varchar(128) not null references evaluation_runs (run_id),
    prompt_id varchar(128) not null references evaluation_pairs (prompt_id),
    primary key (run_id, prompt_id)
);

-- One verdict per (run, target, pair, polarity, repeat): a resumed run asks only what is missing here.
create table evaluation_verdicts (
    run_id      varchar(128) not null references evaluation_runs (run_id),
    target      varchar(256) not null,
    prompt_id   varchar(128) not null,
    polarity    varchar(16)  not null,
    repeat      integer      not null,
    verdict     varchar(16)  not null,
    answer      text         not null,
    answered_at timestamp with time zone not null,
    primary key (run_id, target, prompt_id, polarity, repeat)
);
