/* Tests of the Usine à chatbots side of the C interface: option structs, source
 * diagnostics, structured replies, reserved items, small talk and item lookup.
 *
 *   test_usine [FIXTURES_DIR]
 *
 * FIXTURES_DIR (default Tests/Fixtures/usine) holds the workbooks made by
 * Tests/Fixtures/usine/generate.py; the CSV sources are written by the test itself. */
#define _GNU_SOURCE
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chatbot.h"
#include "check.h"
#include "json_check.h"

static char dir[256];
static const char *fixtures = "Tests/Fixtures/usine";

#define HEADER "ID;Catégorie;Question;Type de réponse;Réponse(s);;\"Questions synonymes (à séparer par un point-virgule ;)\";Expire le (DD/MM/YYYY)\n"

static const char *const good_csv =
    HEADER
    "phrase_presentation;;;Texte;Bonjour, je suis l'assistant RH.;;Tu peux te présenter ?;\n"
    "phrase_hors_sujet;;;Texte;Je ne réponds qu'aux questions RH.;;\"Quel temps fait-il demain ?; Quelle est la capitale du Pérou ?\";\n"
    "phrase_feedback;;;Texte;Merci pour votre avis.;;;\n"
    "conges;RH;Comment poser un congé ?;Texte;Sur le portail RH.;;\"Je veux poser des vacances; poser un jour de congé\";31/12/2099\n"
    ";;;Lien;\"Ouvrir le portail <https://rh>; Les RTT <rtt>\";;;\n"
    ";;;Texte;Une image :;;;\n"
    ";;;Image;https://intranet/conges.png;;;\n"
    "rtt;RH;Combien de jours de RTT ai-je ?;Texte;12 jours par an.;;nombre de jours de RTT;\n"
    "badge;;J'ai perdu mon badge;Texte;Appelez l'accueil.;;badge perdu;\n";

/* Rows 2, 4, 5 and 6 are wrong (no ID first, no type, image without text, no answer). */
static const char *const bad_csv =
    HEADER
    ";;Sans identifiant ?;Texte;R;;;\n"
    "a;RH;Question A ?;Texte;Réponse A;;Alt A;\n"
    "b;RH;Question B ?;;Réponse sans type;;Alt B;\n"
    "c;RH;Question C ?;Image;https://x/y.png;;Alt C;\n"
    "d;RH;Question D ?;Texte;;;Alt D;\n";

static void path_in_dir(char *out, size_t size, const char *name) { snprintf(out, size, "%s/%s", dir, name); }

static void write_text(const char *name, const char *text) {
    char path[512];
    path_in_dir(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(2); }
    fwrite(text, 1, strlen(text), f);
    fclose(f);
}

static cb_engine *build(const char *name, const cb_build_params *params, cb_diagnostics **diagnostics) {
    char path[512];
    path_in_dir(path, sizeof path, name);
    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_build_with_params(path, params, &e, diagnostics), CB_OK);
    return e;
}

static void test_default_params(void) {
    cb_build_params b = cb_build_default_params();
    CHECK(b.size == sizeof(cb_build_params), "build params size %u", b.size);
    CHECK(b.small_talk == 0 && b.learn == 1 && b.synonyms_path == NULL, "build defaults");
    CHECK(b.answer_threshold < 0 && b.ambiguity_margin < 0 && b.suggestion_floor < 0 && b.max_suggestions == 0, "build thresholds");
    CHECK(b.word_vectors_path == NULL && b.embedding_scale < 0, "build embedding defaults");
    cb_match_params m = cb_match_default_params();
    CHECK(m.size == sizeof(cb_match_params), "match params size %u", m.size);
    CHECK(m.top_k == 5 && m.category == NULL && m.query_vector == NULL && m.query_dim == 0, "match defaults");
    CHECK(m.answer_threshold < 0 && m.max_suggestions == 0, "match thresholds");
    CHECK_STR(cb_status_string(CB_ERR_NOT_FOUND), "not found");
}

static void test_reply_and_items(void) {
    cb_diagnostics *d = NULL;
    cb_engine *e = build("good.csv", NULL, &d);
    if (!e) return;
    /* The only warning: "badge" has no category. */
    CHECK(cb_diagnostics_count(d) == 1, "warnings %zu", cb_diagnostics_count(d));
    CHECK(cb_diagnostic_severity(d, 0) == CB_SEVERITY_WARNING, "severity");
    CHECK(cb_diagnostic_row(d, 0) == 10, "row %lld", (long long)cb_diagnostic_row(d, 0));
    CHECK_STR(cb_diagnostic_column(d, 0), "B");
    CHECK_STR(cb_diagnostic_code(d, 0), "no_category");
    CHECK_STR(cb_diagnostic_message(d, 0), "La catégorie n'est pas renseignée.");
    char *json = NULL;
    CHECK_STATUS(cb_diagnostics_json(d, &json), CB_OK);
    CHECK(json && json_valid(json) && strstr(json, "\"code\":\"no_category\"") && strstr(json, "\"row\":10"), "diagnostics JSON: %s", json);
    cb_string_free(json);
    cb_diagnostics_free(d);

    size_t items = 0;
    CHECK_STATUS(cb_engine_item_count(e, &items), CB_OK);
    CHECK(items == 5, "matchable items %zu (phrase_presentation has a question, the feedback has none)", items);

    cb_result *r = NULL;
    CHECK_STATUS(cb_match_with_params(e, "Comment poser un congé ?", NULL, &r), CB_OK);
    CHECK(cb_result_decision(r) == CB_DECISION_ANSWER, "answer");
    CHECK_STR(cb_result_id(r, 0), "conges");
    CHECK_STR(cb_result_reply(r),
              "[{\"type\":\"text\",\"text\":\"Sur le portail RH.\"},"
              "{\"type\":\"buttons\",\"buttons\":[{\"title\":\"Ouvrir le portail\",\"url\":\"https://rh\"},{\"title\":\"Les RTT\",\"item\":\"rtt\"}]},"
              "{\"type\":\"text\",\"text\":\"Une image :\"},{\"type\":\"image\",\"url\":\"https://intranet/conges.png\"}]");
    CHECK_STR(cb_result_answer(r, 0), "Sur le portail RH.\n\nUne image :");
    CHECK(cb_result_suggestion_count(r) == 1 && cb_result_suggestion(r, 0) == 0, "an answer offers its item");
    CHECK(cb_result_suggestion(r, 1) == -1, "out of range suggestion");
    cb_result_free(r);

    /* Following the item button: no matching. */
    CHECK_STATUS(cb_engine_item_json(e, "rtt", &json), CB_OK);
    CHECK_STR(json, "{\"id\":\"rtt\",\"category\":\"RH\",\"question\":\"Combien de jours de RTT ai-je ?\","
                    "\"alternatives\":[\"nombre de jours de RTT\"],\"messages\":[{\"type\":\"text\",\"text\":\"12 jours par an.\"}],"
                    "\"hidden\":false,\"expires\":null}");
    cb_string_free(json);
    CHECK_STATUS(cb_engine_item_json(e, "phrase_feedback", &json), CB_OK);
    CHECK(json && strstr(json, "\"question\":null") && strstr(json, "Merci pour votre avis."), "message-only item: %s", json);
    cb_string_free(json);
    CHECK_STATUS(cb_engine_item_json(e, "conges", &json), CB_OK);
    CHECK(json && strstr(json, "\"expires\":\"2099-12-31\""), "expiry: %s", json);
    cb_string_free(json);
    json = (char *)1;
    CHECK_STATUS(cb_engine_item_json(e, "nope", &json), CB_ERR_NOT_FOUND);
    CHECK(json == NULL, "out cleared on error");
    CHECK(strstr(cb_last_error(), "nope") != NULL, "message names the id: %s", cb_last_error());
    CHECK_STATUS(cb_engine_item_json(e, NULL, &json), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_json(NULL, "rtt", &json), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_json(e, "rtt", NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_json(e, "\xff\xfe", &json), CB_ERR_INVALID_UTF8);

    /* Out-of-scope examples: a fallback with the base's own fallback text. */
    CHECK_STATUS(cb_match_with_params(e, "Quel temps fait-il demain ?", NULL, &r), CB_OK);
    CHECK_STR(cb_result_id(r, 0), "phrase_hors_sujet");
    CHECK(cb_result_decision(r) == CB_DECISION_FALLBACK, "hors sujet is a fallback");
    CHECK(cb_result_reply(r) && strncmp(cb_result_reply(r), "[{\"type\":\"text\",\"text\":\"Je ne réponds qu'aux questions RH.\"}", 60) == 0,
          "fallback reply: %s", cb_result_reply(r));
    cb_result_free(r);

    /* Thresholds per question. */
    cb_match_params m = cb_match_default_params();
    m.answer_threshold = 1.0f;
    m.ambiguity_margin = 1.0f;
    m.suggestion_floor = 0.0f;
    m.max_suggestions = 2;
    m.top_k = 10;
    CHECK_STATUS(cb_match_with_params(e, "poser un congé", &m, &r), CB_OK);
    CHECK(cb_result_decision(r) == CB_DECISION_SUGGEST, "no answer at threshold 1: %s", cb_decision_string(cb_result_decision(r)));
    CHECK(cb_result_suggestion_count(r) == 2, "max 2 suggestions: %zu", cb_result_suggestion_count(r));
    for (size_t i = 0; i < cb_result_suggestion_count(r); i++) {
        const char *id = cb_result_id(r, (size_t)cb_result_suggestion(r, i));
        CHECK(id && strncmp(id, "phrase_", 7) != 0, "reserved item offered: %s", id);
    }
    CHECK(cb_result_reply(r) && strstr(cb_result_reply(r), "\"type\":\"buttons\""), "suggest reply: %s", cb_result_reply(r));
    cb_result_free(r);
    CHECK_STATUS(cb_match_json_with_params(e, "poser un congé", &m, &json), CB_OK);
    CHECK(json && json_valid(json) && strstr(json, "\"decision\":\"suggest\"") && strstr(json, "\"reply\":[") && strstr(json, "\"suggested\":["),
          "JSON with params: %s", json);
    cb_string_free(json);

    /* Bad options. */
    cb_match_params bad = cb_match_default_params();
    bad.answer_threshold = 1.5f;
    CHECK_STATUS(cb_match_with_params(e, "congé", &bad, &r), CB_ERR_INVALID_ARGUMENT);
    CHECK(r == NULL, "out cleared");
    bad = cb_match_default_params();
    bad.suggestion_floor = 0.9f;
    bad.answer_threshold = 0.5f;
    CHECK_STATUS(cb_match_with_params(e, "congé", &bad, &r), CB_ERR_INVALID_ARGUMENT);
    bad = cb_match_default_params();
    bad.size = 12;
    CHECK_STATUS(cb_match_with_params(e, "congé", &bad, &r), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "cb_match_default_params") != NULL, "size message: %s", cb_last_error());
    bad = cb_match_default_params();
    bad.top_k = 0;
    CHECK_STATUS(cb_match_with_params(e, "congé", &bad, &r), CB_ERR_INVALID_ARGUMENT);
    bad = cb_match_default_params();
    bad.query_dim = 3;
    CHECK_STATUS(cb_match_with_params(e, "congé", &bad, &r), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_with_params(e, NULL, NULL, &r), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_with_params(e, "congé", NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_json_with_params(NULL, "congé", NULL, &json), CB_ERR_INVALID_ARGUMENT);

    /* Accessors on invalid handles. */
    CHECK(cb_result_reply(NULL) == NULL, "reply of NULL");
    CHECK(cb_result_suggestion(NULL, 0) == -1, "suggestion of NULL");
    CHECK(cb_diagnostics_count(NULL) == 0, "count of NULL");
    CHECK(cb_diagnostic_row(NULL, 0) == -1, "row of NULL");
    CHECK(cb_diagnostic_code(NULL, 0) == NULL, "code of NULL");
    CHECK_STATUS(cb_diagnostics_json(NULL, &json), CB_ERR_INVALID_ARGUMENT);
    cb_diagnostics_free(NULL);
    cb_engine_free(e);
}

static void test_every_error_at_once(void) {
    char path[512];
    path_in_dir(path, sizeof path, "bad.csv");
    cb_engine *e = (cb_engine *)1;
    cb_diagnostics *d = NULL;
    CHECK_STATUS(cb_engine_build_with_params(path, NULL, &e, &d), CB_ERR_INVALID_SOURCE);
    CHECK(e == NULL, "no engine");
    CHECK(strstr(cb_last_error(), "(and 3 more errors)") != NULL, "message counts the others: %s", cb_last_error());
    const char *codes[] = {"missing_id", "missing_type", "needs_text_before", "missing_answer"};
    const int64_t rows[] = {2, 4, 5, 6};
    size_t errors = 0;
    for (size_t i = 0; i < cb_diagnostics_count(d); i++) {
        if (cb_diagnostic_severity(d, i) != CB_SEVERITY_ERROR) continue;
        if (errors < 4) {
            CHECK_STR(cb_diagnostic_code(d, i), codes[errors]);
            CHECK(cb_diagnostic_row(d, i) == rows[errors], "row %lld", (long long)cb_diagnostic_row(d, i));
        }
        errors++;
    }
    CHECK(errors == 4, "errors %zu", errors);
    CHECK(cb_diagnostic_code(d, 99) == NULL && cb_diagnostic_row(d, 99) == -1, "out of range");
    cb_diagnostics_free(d);

    /* Without a diagnostics pointer the call still fails the same way. */
    CHECK_STATUS(cb_engine_build_with_params(path, NULL, &e, NULL), CB_ERR_INVALID_SOURCE);
    /* The old function reads the template too. */
    CHECK_STATUS(cb_engine_build(path, NULL, &e), CB_ERR_INVALID_SOURCE);

    /* Other failures leave no diagnostics. */
    d = (cb_diagnostics *)1;
    CHECK_STATUS(cb_engine_build_with_params("/nonexistent/kb.xlsx", NULL, &e, &d), CB_ERR_IO);
    CHECK(d == NULL, "no diagnostics for an I/O error");
    cb_build_params p = cb_build_default_params();
    p.size = 3;
    CHECK_STATUS(cb_engine_build_with_params(path, &p, &e, &d), CB_ERR_INVALID_ARGUMENT);
    p = cb_build_default_params();
    p.answer_threshold = 2;
    CHECK_STATUS(cb_engine_build_with_params(path, &p, &e, &d), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_build_with_params(NULL, NULL, &e, &d), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_build_with_params(path, NULL, NULL, &d), CB_ERR_INVALID_ARGUMENT);
}

static void test_build_params(void) {
    cb_build_params p = cb_build_default_params();
    p.small_talk = 1;
    p.answer_threshold = 0.5f;
    p.suggestion_floor = 0.2f;
    cb_engine *e = build("good.csv", &p, NULL);
    if (!e) return;
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, "bonjour", 3, &r), CB_OK);
    CHECK(cb_result_id(r, 0) && strncmp(cb_result_id(r, 0), "st_", 3) == 0, "small talk: %s", cb_result_id(r, 0));
    CHECK(cb_result_decision(r) == CB_DECISION_ANSWER, "small talk answers");
    cb_result_free(r);
    cb_engine_free(e);

    p = cb_build_default_params();
    p.learn = 0;
    e = build("good.csv", &p, NULL);
    CHECK_STATUS(cb_match(e, "J'ai perdu mon badge", 3, &r), CB_OK);
    CHECK_STR(cb_result_id(r, 0), "badge");
    cb_result_free(r);
    cb_engine_free(e);
}

/* Three items, each question with the host's 3-d embedding. */
static const char *const vectors_json =
    "{\"items\": ["
    "{\"id\": \"conges\", \"question\": {\"text\": \"comment poser des congés\", \"vector\": [1, 0, 0]}, \"answer\": \"Sur le portail RH.\"},"
    "{\"id\": \"badge\", \"question\": {\"text\": \"j'ai perdu mon badge\", \"vector\": [0, 1, 0]}, \"answer\": \"Appelez l'accueil.\"},"
    "{\"id\": \"salaire\", \"question\": {\"text\": \"quand est versé le salaire\", \"vector\": [0, 0, 1]}, \"answer\": \"Le 28.\"}"
    "]}";

/* The first cb_build_params, as a host compiled against the earlier header has it. */
typedef struct build_params_v1 {
    uint32_t size;
    int32_t small_talk;
    const char *synonyms_path;
    int32_t learn;
    float answer_threshold;
    float ambiguity_margin;
    float suggestion_floor;
    int32_t max_suggestions;
} build_params_v1;
_Static_assert(sizeof(build_params_v1) == offsetof(cb_build_params, word_vectors_path),
               "the new fields start right after the first struct");

static void test_embedding_scale(void) {
    char path[512];
    path_in_dir(path, sizeof path, "vectors.json");
    const float salaire[3] = {0, 0, 1};
    cb_result *r = NULL;

    /* Default: the host's vectors enter the learned model, so every question needs its vector. */
    cb_engine *e = build("vectors.json", NULL, NULL);
    if (e) {
        CHECK_STATUS(cb_match(e, "quand est versé le salaire", 3, &r), CB_ERR_INVALID_ARGUMENT);
        CHECK(r == NULL, "no result without the vector");
        CHECK(strstr(cb_last_error(), "takes question embeddings as input") && strstr(cb_last_error(), "embedding scale 0"),
              "message: %s", cb_last_error());
        CHECK_STATUS(cb_match_ex(e, "quand est versé le salaire", 3, NULL, salaire, 3, &r), CB_OK);
        CHECK_STR(cb_result_id(r, 0), "salaire");
        CHECK(cb_result_decision(r) == CB_DECISION_ANSWER, "answered with its vector: %s", cb_decision_string(cb_result_decision(r)));
        cb_result_free(r);
        cb_engine_free(e);
    }

    /* Scale 0: embeddings only in the nearest-question cosine; questions without a vector are answered. */
    cb_build_params p = cb_build_default_params();
    p.embedding_scale = 0;
    e = build("vectors.json", &p, NULL);
    if (e) {
        CHECK_STATUS(cb_match(e, "quand est versé le salaire", 3, &r), CB_OK);
        CHECK_STR(cb_result_id(r, 0), "salaire");
        cb_result_free(r);
        CHECK_STATUS(cb_match_ex(e, "quand est versé le salaire", 3, NULL, salaire, 3, &r), CB_OK);
        CHECK_STR(cb_result_id(r, 0), "salaire");
        cb_result_free(r);
        cb_engine_free(e);
    }
    p.embedding_scale = 100; /* the largest accepted */
    e = build("vectors.json", &p, NULL);
    cb_engine_free(e);
    p.embedding_scale = -7; /* any negative value: the default */
    e = build("vectors.json", &p, NULL);
    if (e) {
        CHECK_STATUS(cb_match(e, "salaire", 3, &r), CB_ERR_INVALID_ARGUMENT);
        cb_engine_free(e);
    }

    /* Out of range. */
    const float bad_scales[] = {100.5f, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad_scales / sizeof *bad_scales; i++) {
        p = cb_build_default_params();
        p.embedding_scale = bad_scales[i];
        e = (cb_engine *)1;
        CHECK_STATUS(cb_engine_build_with_params(path, &p, &e, NULL), CB_ERR_INVALID_ARGUMENT);
        CHECK(e == NULL, "no engine");
        CHECK(strstr(cb_last_error(), "embedding scale") != NULL, "scale %g: %s", (double)bad_scales[i], cb_last_error());
    }

    /* A host compiled against the first struct: only its bytes are read (on the heap, so that
     * valgrind sees any read past them), the new fields take their defaults. */
    build_params_v1 *old = malloc(sizeof *old);
    if (!old) { perror("malloc"); exit(2); }
    memset(old, 0, sizeof *old);
    old->size = sizeof *old;
    old->small_talk = 0;
    old->synonyms_path = NULL;
    old->learn = 1;
    old->answer_threshold = old->ambiguity_margin = old->suggestion_floor = -1;
    old->max_suggestions = 2;
    e = build("vectors.json", (const cb_build_params *)old, NULL);
    if (e) {
        /* The default scale applies: the model takes the embeddings. */
        CHECK_STATUS(cb_match(e, "salaire", 3, &r), CB_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(cb_match_ex(e, "quand est versé le salaire", 3, NULL, salaire, 3, &r), CB_OK);
        CHECK_STR(cb_result_id(r, 0), "salaire");
        cb_result_free(r);
        cb_engine_free(e);
    }
    old->answer_threshold = 2; /* the old fields are still checked */
    CHECK_STATUS(cb_engine_build_with_params(path, (const cb_build_params *)old, &e, NULL), CB_ERR_INVALID_ARGUMENT);
    old->answer_threshold = -1;
    old->size = sizeof *old + 4; /* neither version */
    CHECK_STATUS(cb_engine_build_with_params(path, (const cb_build_params *)old, &e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "params.size") != NULL, "size message: %s", cb_last_error());
    free(old);
}

/* The .cbwv format (little-endian): "CBWV", version 1, word count, dimension, flags 0, then
 * per word its UInt16 byte length, the UTF-8 word, a Float32 frequency and Float16 values.
 * Every value here is exact in Float16: 0 = 0x0000, 0.25 = 0x3400, 0.5 = 0x3800, 1 = 0x3C00. */
enum { WV_DIM = 4 };
typedef struct wv_entry {
    const char *word;
    float frequency;
    uint16_t values[WV_DIM];
} wv_entry;

static const wv_entry word_vectors[] = {
    {"congé", 1e-5f, {0x3C00, 0x3400, 0, 0}},
    {"congés", 2e-5f, {0x3C00, 0, 0x3400, 0}},
    {"vacances", 3e-5f, {0x3C00, 0x3400, 0, 0x3400}}, /* the direction of congé(s) */
    {"badge", 1e-6f, {0, 0x3C00, 0, 0x3400}},
    {"carte", 5e-5f, {0x3400, 0x3C00, 0, 0}},
    {"accès", 1e-5f, {0, 0x3C00, 0x3400, 0}},
    {"perdu", 2e-5f, {0, 0x3800, 0x3800, 0}},
    {"de", 0.03f, {0x3400, 0x3400, 0x3400, 0x3400}},
};

static size_t put_u16(uint8_t *out, uint16_t v) {
    out[0] = (uint8_t)(v & 0xFF);
    out[1] = (uint8_t)(v >> 8);
    return 2;
}

static size_t put_u32(uint8_t *out, uint32_t v) {
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(v >> (8 * i));
    return 4;
}

/* Writes the asset to `name`; returns its size. */
static size_t write_cbwv(const char *name, size_t truncate_by) {
    uint8_t bytes[1024];
    size_t n = 0;
    const size_t count = sizeof word_vectors / sizeof *word_vectors;
    memcpy(bytes, "CBWV", 4);
    n += 4;
    n += put_u32(bytes + n, 1);
    n += put_u32(bytes + n, (uint32_t)count);
    n += put_u32(bytes + n, WV_DIM);
    n += put_u32(bytes + n, 0);
    for (size_t i = 0; i < count; i++) {
        size_t length = strlen(word_vectors[i].word);
        n += put_u16(bytes + n, (uint16_t)length);
        memcpy(bytes + n, word_vectors[i].word, length);
        n += length;
        uint32_t bits;
        memcpy(&bits, &word_vectors[i].frequency, 4);
        n += put_u32(bytes + n, bits);
        for (int k = 0; k < WV_DIM; k++) n += put_u16(bytes + n, word_vectors[i].values[k]);
    }
    char path[512];
    path_in_dir(path, sizeof path, name);
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); exit(2); }
    fwrite(bytes, 1, n - truncate_by, f);
    fclose(f);
    return n;
}

static void test_word_vectors(void) {
    char wv[512], kb[512], json[512];
    path_in_dir(wv, sizeof wv, "fr.cbwv");
    path_in_dir(kb, sizeof kb, "wv.tsv");
    path_in_dir(json, sizeof json, "vectors.json");
    write_cbwv("fr.cbwv", 0);
    cb_build_params p = cb_build_default_params();
    p.word_vectors_path = wv;
    cb_engine *e = build("wv.tsv", &p, NULL);
    cb_result *r = NULL;
    if (e) {
        size_t dim = 0;
        CHECK_STATUS(cb_engine_embedding_dimension(e, &dim), CB_OK);
        CHECK(dim == WV_DIM, "embedding dimension %zu", dim);
        /* A word the base never uses, matched through the asset. */
        CHECK_STATUS(cb_match(e, "vacances", 3, &r), CB_OK);
        CHECK_STR(cb_result_id(r, 0), "conges");
        cb_result_free(r);
        CHECK_STATUS(cb_match(e, "j'ai perdu mon badge", 3, &r), CB_OK);
        CHECK_STR(cb_result_id(r, 0), "badge");
        CHECK(cb_result_decision(r) == CB_DECISION_ANSWER, "stored question answered");
        cb_result_free(r);
        /* It embeds questions itself: a query vector is refused. */
        const float v[WV_DIM] = {1, 0, 0, 0};
        CHECK_STATUS(cb_match_ex(e, "vacances", 3, NULL, v, WV_DIM, &r), CB_ERR_INVALID_ARGUMENT);
        CHECK(strstr(cb_last_error(), "embeds questions itself") != NULL, "message: %s", cb_last_error());
        cb_engine_free(e);
    }
    /* The scale applies to the word vectors: out of range is refused the same way. */
    p.embedding_scale = 1000;
    CHECK_STATUS(cb_engine_build_with_params(kb, &p, &e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "scale") != NULL, "message: %s", cb_last_error());
    p.embedding_scale = 0;
    e = build("wv.tsv", &p, NULL);
    cb_engine_free(e);

    /* The host's vectors and word vectors: one or the other. */
    p = cb_build_default_params();
    p.word_vectors_path = wv;
    CHECK_STATUS(cb_engine_build_with_params(json, &p, &e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "one or the other") != NULL, "message: %s", cb_last_error());

    /* A missing file, then malformed ones: the message names the file. */
    char bad[512];
    path_in_dir(bad, sizeof bad, "missing.cbwv");
    p.word_vectors_path = bad;
    e = (cb_engine *)1;
    CHECK_STATUS(cb_engine_build_with_params(kb, &p, &e, NULL), CB_ERR_IO);
    CHECK(e == NULL, "no engine");
    CHECK(strstr(cb_last_error(), "missing.cbwv") != NULL, "message: %s", cb_last_error());
    path_in_dir(bad, sizeof bad, "bad.cbwv");
    write_text("bad.cbwv", "CBXX not word vectors at all");
    CHECK_STATUS(cb_engine_build_with_params(kb, &p, &e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "bad.cbwv") && strstr(cb_last_error(), "not a word-vector file"), "message: %s", cb_last_error());
    write_cbwv("bad.cbwv", 3);
    CHECK_STATUS(cb_engine_build_with_params(kb, &p, &e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "bad.cbwv") && strstr(cb_last_error(), "truncated"), "message: %s", cb_last_error());
    write_text("bad.cbwv", "");
    CHECK_STATUS(cb_engine_build_with_params(kb, &p, &e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "bad.cbwv") != NULL, "message: %s", cb_last_error());
    path_in_dir(bad, sizeof bad, "bad.cbwv");
    unlink(bad);
    unlink(wv);
}

static void test_workbooks(void) {
    const char *names[] = {"template.xlsx", "template.ods"};
    for (size_t k = 0; k < 2; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", fixtures, names[k]);
        cb_engine *e = NULL;
        cb_diagnostics *d = NULL;
        CHECK_STATUS(cb_engine_build_with_params(path, NULL, &e, &d), CB_OK);
        cb_diagnostics_free(d);
        if (!e) continue;
        cb_result *r = NULL;
        CHECK_STATUS(cb_match(e, "Comment poser un congé ?", 3, &r), CB_OK);
        CHECK_STR(cb_result_id(r, 0), "conges");
        CHECK(cb_result_reply(r) && strstr(cb_result_reply(r), "\"item\":\"rtt\""), "%s reply: %s", names[k], cb_result_reply(r));
        cb_result_free(r);
        cb_engine_free(e);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/errors.xlsx", fixtures);
    cb_engine *e = NULL;
    cb_diagnostics *d = NULL;
    CHECK_STATUS(cb_engine_build_with_params(path, NULL, &e, &d), CB_ERR_INVALID_SOURCE);
    CHECK(cb_diagnostics_count(d) >= 2, "workbook diagnostics %zu", cb_diagnostics_count(d));
    cb_diagnostics_free(d);
    snprintf(path, sizeof path, "%s/encrypted.xlsx", fixtures);
    CHECK_STATUS(cb_engine_build_with_params(path, NULL, &e, &d), CB_ERR_INVALID_SOURCE);
    CHECK(cb_diagnostics_count(d) == 1 && strcmp(cb_diagnostic_code(d, 0), "encrypted") == 0, "encrypted: %s", cb_last_error());
    cb_diagnostics_free(d);
}

int main(int argc, char **argv) {
    if (argc > 1) fixtures = argv[1];
    snprintf(dir, sizeof dir, "/tmp/cb-c-usine-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    write_text("good.csv", good_csv);
    write_text("bad.csv", bad_csv);
    write_text("vectors.json", vectors_json);
    write_text("wv.tsv", "conges\tcomment poser un congé\nconges\tdemander des congés\n"
                         "badge\tj'ai perdu mon badge\nbadge\tbadge perdu que faire\n"
                         "salaire\tquand est versé le salaire\n");

    test_default_params();
    test_reply_and_items();
    test_every_error_at_once();
    test_build_params();
    test_embedding_scale();
    test_word_vectors();
    test_workbooks();

    char path[512];
    path_in_dir(path, sizeof path, "good.csv");
    unlink(path);
    path_in_dir(path, sizeof path, "bad.csv");
    unlink(path);
    path_in_dir(path, sizeof path, "vectors.json");
    unlink(path);
    path_in_dir(path, sizeof path, "wv.tsv");
    unlink(path);
    rmdir(dir);
    return check_summary();
}
