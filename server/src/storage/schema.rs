//! The database tables, as diesel sees them (see `migrations/` for the SQL and why).

diesel::table! {
    secrets (name) {
        name -> Text,
        value -> Binary,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Binary,
        user_id -> BigInt,
        created_at -> BigInt,
        last_seen_at -> BigInt,
    }
}

diesel::table! {
    surveys (id) {
        id -> BigInt,
        slug -> Text,
        status -> Text,
        current_version_id -> Nullable<BigInt>,
        created_at -> BigInt,
        draft -> Nullable<Text>,
        opens_at -> Nullable<BigInt>,
        closes_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    survey_versions (id) {
        id -> BigInt,
        survey_id -> BigInt,
        version -> Integer,
        definition -> Text,
        published_at -> BigInt,
    }
}

diesel::table! {
    counters (version_id, question, option) {
        version_id -> BigInt,
        question -> Text,
        option -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    nullifiers (survey_id, hash) {
        survey_id -> BigInt,
        hash -> Binary,
    }
}

diesel::table! {
    nullifier_runs (id) {
        id -> BigInt,
        survey_id -> BigInt,
        hashes -> Binary,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Binary,
        created_at -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> BigInt,
        actor -> Text,
        action -> Text,
        target -> Text,
    }
}

diesel::table! {
    invite_keys (survey_id) {
        survey_id -> BigInt,
        secret_key -> Binary,
    }
}

diesel::table! {
    invites (survey_id, code_hash) {
        survey_id -> BigInt,
        code_hash -> Binary,
    }
}

diesel::table! {
    invites_used (survey_id, used_hash) {
        survey_id -> BigInt,
        used_hash -> Binary,
        blinded_hash -> Nullable<Binary>,
    }
}

diesel::table! {
    counter_blocks (version_id) {
        version_id -> BigInt,
        counts -> Binary,
    }
}

diesel::table! {
    releases (survey_id, number) {
        survey_id -> BigInt,
        number -> Integer,
        version_id -> BigInt,
        made_at -> BigInt,
        respondents -> BigInt,
        rho -> Double,
        closing -> Bool,
        results -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(survey_versions -> surveys (survey_id));
diesel::joinable!(counters -> survey_versions (version_id));
diesel::joinable!(counter_blocks -> survey_versions (version_id));
diesel::joinable!(releases -> survey_versions (version_id));

diesel::allow_tables_to_appear_in_same_query!(
    secrets,
    users,
    sessions,
    surveys,
    survey_versions,
    counters,
    counter_blocks,
    releases,
    nullifiers,
    nullifier_runs,
    api_tokens,
    audit_log,
    invite_keys,
    invites,
    invites_used
);
