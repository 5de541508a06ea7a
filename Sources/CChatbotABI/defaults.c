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

cb_anonymizer_params cb_anonymizer_default_params(void) {
    cb_anonymizer_params p = {0};
    p.size = sizeof(cb_anonymizer_params);
    p.pattern_count = 0;
    p.pattern_names = NULL;
    p.patterns = NULL;
    return p;
}
