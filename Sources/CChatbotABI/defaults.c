/* Default option structs. They are returned by value, as llama.h does, which a Swift
 * @_cdecl function cannot do; the values are data only, documented in chatbot.h. */
#include "chatbot_abi.h"

cb_build_params cb_build_default_params(void) {
    cb_build_params p = {0};
    p.size = sizeof(cb_build_params);
    p.synonyms_path = NULL;
    p.small_talk = 0;
    p.learn = 1;
    p.answer_threshold = -1.0f;
    p.ambiguity_margin = -1.0f;
    p.suggestion_floor = -1.0f;
    p.max_suggestions = 0;
    p.word_vectors_path = NULL;
    p.embedding_scale = -1.0f;
    return p;
}

cb_match_params cb_match_default_params(void) {
    cb_match_params p = {0};
    p.size = sizeof(cb_match_params);
    p.top_k = 5;
    p.category = NULL;
    p.query_vector = NULL;
    p.query_dim = 0;
    p.answer_threshold = -1.0f;
    p.ambiguity_margin = -1.0f;
    p.suggestion_floor = -1.0f;
    p.max_suggestions = 0;
    return p;
}

cb_open_params cb_open_default_params(void) {
    cb_open_params p = {0};
    p.size = sizeof(cb_open_params);
    p.mode = CB_OPEN_COPY;
    return p;
}

cb_anonymizer_params cb_anonymizer_default_params(void) {
    cb_anonymizer_params p = {0};
    p.size = sizeof(cb_anonymizer_params);
    p.pattern_count = 0;
    p.pattern_names = NULL;
    p.patterns = NULL;
    return p;
}

cb_log_params cb_log_default_params(void) {
    cb_log_params p = {0};
    p.size = sizeof(cb_log_params);
    p.read_only = 0;
    p.queue_capacity = 0;
    p.max_matches = 0;
    return p;
}

cb_log_record_params cb_log_default_record_params(void) {
    cb_log_record_params p = {0};
    p.size = sizeof(cb_log_record_params);
    p.kind = CB_LOG_KIND_QUESTION;
    p.conversation = NULL;
    p.channel = NULL;
    p.latency_us = -1;
    p.kb_version = NULL;
    p.time_ms = 0;
    p.id_out = NULL;
    return p;
}

cb_stats_params cb_stats_default_params(void) {
    cb_stats_params p = {0};
    p.size = sizeof(cb_stats_params);
    p.by_week = 1;
    p.since_ms = 0;
    p.until_ms = 0;
    p.engine = NULL;
    p.top = 0;
    return p;
}
