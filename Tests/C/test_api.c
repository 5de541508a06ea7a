/* Tests of the libchatbot C interface, compiled against Include/chatbot.h and linked to
 * the built libchatbot.so.
 *
 *   test_api [--valgrind]
 *
 * --valgrind lowers the thread test's iterations (1000). CB_TEST_ITERATIONS
 * overrides the number of matches per thread (default 100000).
 *
 * Fixtures are written by the test itself into a fresh directory under /tmp. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
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

/* ---------------------------------------------------------------------------------- */
/* Fixtures                                                                             */

static const char *const tsv_source =
    "conges\tcomment poser des congés\n"
    "conges\tje veux prendre des vacances\n"
    "conges\tdemande de congés payés\n"
    "badge\tj'ai perdu mon badge\n"
    "badge\tbadge perdu que faire\n"
    "salaire\tquand est versé le salaire\n"
    "salaire\tdate de paiement de la paie\n"
    "mutuelle\tcomment adhérer à la mutuelle\n"
    "mutuelle\tchanger de mutuelle santé\n"
    "teletravail\tpuis-je faire du télétravail\n"
    "teletravail\tcombien de jours de télétravail par semaine\n"
    "parking\toù se garer\n"
    "parking\tplace de parking pour les visiteurs\n";

static const char *const csv_source =
    "id;question;answer;category\n"
    "conges;comment poser des congés;\"Sur le portail RH, rubrique \"\"Absences\"\".\";RH\n"
    "conges;je veux prendre des vacances;;\n"
    "badge;j'ai perdu mon badge;Appelez l'accueil.;Sécurité\n"
    "salaire;quand est versé le salaire;Le 28 de chaque mois.;Paie\n"
    "parking;place de parking pour les visiteurs;Parking B, niveau -1.;Sécurité\n";

static const char *const synonyms_source =
    "congé; vacances\n"
    "salaire; paie\n";

/* Questions used by the equality, batch and thread tests. */
static const char *const questions[] = {
    "comment poser des congés",
    "j'ai perdu mon badge",
    "quand est versé le salaire ?",
    "je voudrais changer de mutuelle",
    "télétravail",
    "où est le parking",
    "quelle est la couleur du ciel",
    "Congés payés : la demande",
    "",
    "badge badge badge",
    "combien de jours de télétravail",
    "PAIEMENT DE LA PAIE",
};
#define N_QUESTIONS (sizeof questions / sizeof questions[0])

static void path_in_dir(char *out, size_t size, const char *name) {
    snprintf(out, size, "%s/%s", dir, name);
}

static int write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t n = fwrite(data, 1, size, f);
    return fclose(f) == 0 && n == size;
}

static unsigned char *read_all(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static cb_engine *build_tsv(void) {
    char src[512];
    path_in_dir(src, sizeof src, "kb.tsv");
    cb_engine *e = NULL;
    cb_status st = cb_engine_build(src, NULL, &e);
    if (st != CB_OK) {
        fprintf(stderr, "cannot build the fixture engine: %s: %s\n", cb_status_string(st), cb_last_error());
        exit(2);
    }
    return e;
}

/* Two results hold the same matches, decisions and suggestion counts. */
static int same_result(const cb_result *a, const cb_result *b) {
    size_t n = cb_result_count(a);
    if (n != cb_result_count(b) || cb_result_decision(a) != cb_result_decision(b)) return 0;
    if (cb_result_suggestion_count(a) != cb_result_suggestion_count(b)) return 0;
    for (size_t i = 0; i < n; i++) {
        if (cb_result_item_index(a, i) != cb_result_item_index(b, i)) return 0;
        if (cb_result_score(a, i) != cb_result_score(b, i)) return 0;
        if (strcmp(cb_result_id(a, i), cb_result_id(b, i)) != 0) return 0;
        if (strcmp(cb_result_question(a, i), cb_result_question(b, i)) != 0) return 0;
    }
    return 1;
}

/* Every fixture question gives the same result from both engines. */
static int same_engines(const cb_engine *x, const cb_engine *y) {
    for (size_t q = 0; q < N_QUESTIONS; q++) {
        cb_result *a = NULL, *b = NULL;
        if (cb_match(x, questions[q], 5, &a) != CB_OK || cb_match(y, questions[q], 5, &b) != CB_OK) return 0;
        int same = same_result(a, b);
        cb_result_free(a);
        cb_result_free(b);
        if (!same) return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------------------------- */
/* Versions and status strings                                                          */

static void test_versions_and_strings(void) {
    CHECK_STR(cb_version(), CB_VERSION);
    CHECK(cb_abi_version() == CB_ABI_VERSION, "abi %d", cb_abi_version());
    const char *names[] = {"ok", "invalid argument", "input/output error", "invalid index",
                           "invalid source", "invalid UTF-8", "out of memory", "internal error"};
    for (int s = CB_OK; s <= CB_ERR_INTERNAL; s++) CHECK_STR(cb_status_string((cb_status)s), names[s]);
    CHECK_STR(cb_status_string((cb_status)99), "unknown status");
    CHECK_STR(cb_status_string((cb_status)-1), "unknown status");
    CHECK_STR(cb_decision_string(CB_DECISION_ANSWER), "answer");
    CHECK_STR(cb_decision_string(CB_DECISION_SUGGEST), "suggest");
    CHECK_STR(cb_decision_string(CB_DECISION_FALLBACK), "fallback");
    CHECK_STR(cb_decision_string((cb_decision)7), "unknown");
    CHECK(cb_last_error() != NULL, "last error is never NULL");
}

/* ---------------------------------------------------------------------------------- */
/* Lifecycle: build, save, open file, open memory                                       */

static void test_lifecycle(void) {
    char src[512], idx[512];
    path_in_dir(src, sizeof src, "kb.tsv");
    path_in_dir(idx, sizeof idx, "kb.cbindex");

    cb_engine *built = NULL;
    CHECK_STATUS(cb_engine_build(src, NULL, &built), CB_OK);
    CHECK(built != NULL, "built engine");
    size_t items = 0;
    CHECK_STATUS(cb_engine_item_count(built, &items), CB_OK);
    CHECK(items == 6, "item count %zu", items);
    const char *id = NULL;
    CHECK_STATUS(cb_engine_item_id(built, 0, &id), CB_OK);
    CHECK_STR(id, "conges");
    CHECK_STATUS(cb_engine_item_id(built, 5, &id), CB_OK);
    CHECK_STR(id, "parking");
    size_t dim = 99;
    CHECK_STATUS(cb_engine_embedding_dimension(built, &dim), CB_OK);
    CHECK(dim == 0, "no embeddings, got %zu", dim);

    CHECK_STATUS(cb_engine_save(built, idx), CB_OK);
    struct stat st;
    CHECK(stat(idx, &st) == 0 && st.st_size > 64, "index file written");

    cb_engine *opened = NULL;
    CHECK_STATUS(cb_engine_open(idx, &opened), CB_OK);
    CHECK(opened != NULL && same_engines(built, opened), "file engine answers like the built one");

    size_t size = 0;
    unsigned char *bytes = read_all(idx, &size);
    CHECK(bytes != NULL, "read index");
    cb_engine *mem = NULL;
    CHECK_STATUS(cb_engine_open_memory(bytes, size, &mem), CB_OK);
    /* The bytes are copied: clobber and free them, the engine must not care. */
    memset(bytes, 0, size);
    free(bytes);
    CHECK(mem != NULL && same_engines(built, mem), "memory engine answers like the built one");

    /* A result outlives its engine. */
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(mem, "j'ai perdu mon badge", 3, &r), CB_OK);
    cb_engine_free(mem);
    CHECK_STR(cb_result_id(r, 0), "badge");
    cb_result_free(r);

    /* The top match for an item's own question is that item, with the exact question. */
    CHECK_STATUS(cb_match(opened, "comment poser des congés", 5, &r), CB_OK);
    CHECK(cb_result_count(r) >= 1 && cb_result_count(r) <= 5, "count %zu", cb_result_count(r));
    CHECK_STR(cb_result_id(r, 0), "conges");
    CHECK_STR(cb_result_question(r, 0), "comment poser des congés");
    CHECK_STR(cb_result_answer(r, 0), "");
    CHECK_STR(cb_result_category(r, 0), "");
    CHECK(cb_result_item_index(r, 0) == 0, "item index %d", cb_result_item_index(r, 0));
    CHECK(cb_result_score(r, 0) > 0.99f && cb_result_score(r, 0) <= 1.0f, "score %f", cb_result_score(r, 0));
    CHECK(cb_result_decision(r) == CB_DECISION_ANSWER, "decision %d", cb_result_decision(r));
    CHECK(cb_result_suggestion_count(r) == 1, "suggestions %zu", cb_result_suggestion_count(r));
    for (size_t i = 1; i < cb_result_count(r); i++)
        CHECK(cb_result_score(r, i) <= cb_result_score(r, i - 1), "scores sorted at %zu", i);
    cb_result_free(r);

    /* Nothing in common with the base: fall back. */
    CHECK_STATUS(cb_match(opened, "xylophone zébré", 5, &r), CB_OK);
    CHECK(cb_result_decision(r) == CB_DECISION_FALLBACK, "decision %d", cb_result_decision(r));
    CHECK(cb_result_suggestion_count(r) == 0, "suggestions %zu", cb_result_suggestion_count(r));
    cb_result_free(r);

    /* top_k limits the matches; CB_MAX_TOP_K is accepted. */
    CHECK_STATUS(cb_match(opened, "congés", 1, &r), CB_OK);
    CHECK(cb_result_count(r) == 1, "count %zu", cb_result_count(r));
    cb_result_free(r);
    CHECK_STATUS(cb_match(opened, "congés", CB_MAX_TOP_K, &r), CB_OK);
    CHECK(cb_result_count(r) <= 6, "count %zu", cb_result_count(r));
    cb_result_free(r);

    /* Synonyms file accepted. */
    char syn[512];
    path_in_dir(syn, sizeof syn, "synonymes.txt");
    cb_engine *with_syn = NULL;
    CHECK_STATUS(cb_engine_build(src, syn, &with_syn), CB_OK);
    CHECK(with_syn != NULL, "engine with synonyms");
    cb_engine_free(with_syn);

    cb_engine_free(opened);
    cb_engine_free(built);
    cb_engine_free(NULL);
    cb_result_free(NULL);
    cb_string_free(NULL);
}

static void test_csv_source(void) {
    char src[512];
    path_in_dir(src, sizeof src, "faq.csv");
    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_build(src, NULL, &e), CB_OK);
    if (!e) return;
    size_t items = 0;
    CHECK_STATUS(cb_engine_item_count(e, &items), CB_OK);
    CHECK(items == 4, "items %zu", items);

    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, "comment poser des congés", 3, &r), CB_OK);
    CHECK_STR(cb_result_id(r, 0), "conges");
    CHECK_STR(cb_result_answer(r, 0), "Sur le portail RH, rubrique \"Absences\".");
    CHECK_STR(cb_result_category(r, 0), "RH");
    cb_result_free(r);

    /* Category filter: only "Sécurité" items, even for a question about leave. */
    CHECK_STATUS(cb_match_ex(e, "badge perdu", 10, "Sécurité", NULL, 0, &r), CB_OK);
    CHECK(cb_result_count(r) >= 1, "count %zu", cb_result_count(r));
    for (size_t i = 0; i < cb_result_count(r); i++) CHECK_STR(cb_result_category(r, i), "Sécurité");
    CHECK_STR(cb_result_id(r, 0), "badge");
    cb_result_free(r);
    CHECK_STATUS(cb_match_ex(e, "badge perdu", 10, "Inconnue", NULL, 0, &r), CB_OK);
    CHECK(cb_result_count(r) == 0 && cb_result_decision(r) == CB_DECISION_FALLBACK, "unknown category: no match");
    cb_result_free(r);

    char *json = NULL;
    CHECK_STATUS(cb_match_json(e, "comment poser des congés", 2, &json), CB_OK);
    CHECK(json && json_valid(json), "valid JSON: %s", json ? json : "(null)");
    CHECK(json && strstr(json, "\"answer\":\"Sur le portail RH, rubrique \\\"Absences\\\".\""), "escaped answer: %s", json);
    CHECK(json && strstr(json, "\"category\":\"RH\""), "category in JSON: %s", json);
    cb_string_free(json);
    cb_engine_free(e);
}

/* ---------------------------------------------------------------------------------- */
/* JSON                                                                                 */

static void test_json(const cb_engine *e) {
    char *json = NULL;
    CHECK_STATUS(cb_match_json(e, "j'ai perdu mon badge", 3, &json), CB_OK);
    CHECK(json != NULL && json_valid(json), "valid match JSON: %s", json ? json : "(null)");
    if (json) {
        const char *head = "{\"decision\":\"answer\",\"suggestions\":1,\"matches\":[{\"id\":\"badge\",\"score\":";
        CHECK(strncmp(json, head, strlen(head)) == 0, "match JSON layout: %s", json);
        CHECK(strstr(json, "\"question\":\"j'ai perdu mon badge\"") != NULL, "question in JSON: %s", json);
        CHECK(strstr(json, "\"answer\":\"\",\"category\":\"\"}") != NULL, "empty answer/category: %s", json);
        const char *tail = ",\"question\":\"j'ai perdu mon badge\"}";
        CHECK(strlen(json) > strlen(tail) && strcmp(json + strlen(json) - strlen(tail), tail) == 0,
              "the question asked ends the object: %s", json);
    }
    cb_string_free(json);

    /* No match at all: still an object with an empty array. */
    cb_engine *csv = NULL;
    char *empty = NULL;
    CHECK_STATUS(cb_match_json(e, "zzz", 3, &empty), CB_OK);
    CHECK(empty != NULL && json_valid(empty), "valid JSON: %s", empty ? empty : "(null)");
    CHECK(empty && strstr(empty, "\"decision\":\"fallback\"") != NULL, "fallback JSON: %s", empty);
    cb_string_free(empty);
    (void)csv;

    /* Analysis, with characters that need escaping in the input. */
    const char *text = "Où \"poser\"\tmes\ncongés\\ payés ?";
    CHECK_STATUS(cb_analyze_json(e, text, &json), CB_OK);
    CHECK(json != NULL && json_valid(json), "valid analysis JSON: %s", json ? json : "(null)");
    if (json) {
        const char *head = "{\"tokens\":[{\"text\":";
        CHECK(strncmp(json, head, strlen(head)) == 0, "analysis layout: %s", json);
        CHECK(strstr(json, "\"start\":0,") != NULL, "first token offset: %s", json);
        CHECK(strstr(json, "\"terms\":[") != NULL, "terms key: %s", json);
        CHECK(strstr(json, "\"stop\":") != NULL && strstr(json, "\"stem\":") != NULL, "token fields: %s", json);
    }
    cb_string_free(json);

    CHECK_STATUS(cb_analyze_json(e, "", &json), CB_OK);
    CHECK_STR(json, "{\"tokens\":[],\"terms\":[]}");
    cb_string_free(json);
}

/* ---------------------------------------------------------------------------------- */
/* Batch                                                                                */

static void test_batch(const cb_engine *e) {
    enum { K = 4 };
    int32_t idx[N_QUESTIONS * K];
    float scores[N_QUESTIONS * K];
    int32_t decisions[N_QUESTIONS];
    memset(idx, 0x55, sizeof idx);
    CHECK_STATUS(cb_match_batch(e, questions, N_QUESTIONS, K, idx, scores, decisions), CB_OK);
    for (size_t q = 0; q < N_QUESTIONS; q++) {
        cb_result *r = NULL;
        CHECK_STATUS(cb_match(e, questions[q], K, &r), CB_OK);
        size_t n = cb_result_count(r);
        CHECK(decisions[q] == (int32_t)cb_result_decision(r), "decision of question %zu", q);
        for (size_t j = 0; j < K; j++) {
            if (j < n) {
                CHECK(idx[q * K + j] == cb_result_item_index(r, j), "question %zu match %zu index", q, j);
                CHECK(scores[q * K + j] == cb_result_score(r, j), "question %zu match %zu score", q, j);
                const char *id = NULL;
                CHECK_STATUS(cb_engine_item_id(e, (size_t)idx[q * K + j], &id), CB_OK);
                CHECK(id && strcmp(id, cb_result_id(r, j)) == 0, "question %zu match %zu id", q, j);
            } else {
                CHECK(idx[q * K + j] == -1 && scores[q * K + j] == 0.0f, "question %zu slot %zu padded", q, j);
            }
        }
        cb_result_free(r);
    }
    /* n == 0 is a valid empty batch. */
    CHECK_STATUS(cb_match_batch(e, questions, 0, K, idx, scores, decisions), CB_OK);
}

/* ---------------------------------------------------------------------------------- */
/* Error paths                                                                          */

static void test_errors(cb_engine *e) {
    char src[512], idx[512], path[512];
    path_in_dir(src, sizeof src, "kb.tsv");
    path_in_dir(idx, sizeof idx, "kb.cbindex");
    const char bad_utf8[] = {'c', 'o', 'n', (char)0xC3, (char)0x28, 'g', 0};
    cb_engine *out = (cb_engine *)&out; /* non-NULL garbage: must come back NULL */
    cb_result *res = (cb_result *)&res;
    char *json = (char *)&json;

    /* cb_engine_open */
    CHECK_STATUS(cb_engine_open(NULL, &out), CB_ERR_INVALID_ARGUMENT);
    CHECK(out == NULL, "out cleared on error");
    CHECK_STATUS(cb_engine_open(idx, NULL), CB_ERR_INVALID_ARGUMENT);
    path_in_dir(path, sizeof path, "missing.cbindex");
    CHECK_STATUS(cb_engine_open(path, &out), CB_ERR_IO);
    CHECK(strstr(cb_last_error(), "missing.cbindex") != NULL, "message names the file: %s", cb_last_error());
    CHECK_STATUS(cb_engine_open(dir, &out), CB_ERR_IO);
    CHECK_STATUS(cb_engine_open(bad_utf8, &out), CB_ERR_INVALID_UTF8);
    /* Issue 13: the message names the offset of the first invalid byte (0xC3 0x28 at 3). */
    CHECK(strstr(cb_last_error(), "offset 3") != NULL, "invalid UTF-8 names its offset: %s", cb_last_error());
    {
        /* A FIFO is refused at once, not waited on (issue 13). */
        path_in_dir(path, sizeof path, "pipe.cbindex");
        unlink(path);
        CHECK(mkfifo(path, 0600) == 0, "mkfifo");
        CHECK_STATUS(cb_engine_open(path, &out), CB_ERR_IO);
        CHECK(strstr(cb_last_error(), "not a regular file") != NULL, "a FIFO is named: %s", cb_last_error());
        unlink(path);
    }
    path_in_dir(path, sizeof path, "kb.tsv");
    CHECK_STATUS(cb_engine_open(path, &out), CB_ERR_INVALID_INDEX); /* not an index */

    size_t size = 0;
    unsigned char *bytes = read_all(idx, &size);
    CHECK(bytes != NULL && size > 128, "read index");
    if (bytes) {
        /* Truncated: a few bytes short, and shorter than the header. */
        path_in_dir(path, sizeof path, "truncated.cbindex");
        write_file(path, bytes, size - 7);
        CHECK_STATUS(cb_engine_open(path, &out), CB_ERR_INVALID_INDEX);
        CHECK_STATUS(cb_engine_open_memory(bytes, size - 7, &out), CB_ERR_INVALID_INDEX);
        write_file(path, bytes, 10);
        CHECK_STATUS(cb_engine_open(path, &out), CB_ERR_INVALID_INDEX);
        CHECK_STATUS(cb_engine_open_memory(bytes, 10, &out), CB_ERR_INVALID_INDEX);
        write_file(path, bytes, 0);
        CHECK_STATUS(cb_engine_open(path, &out), CB_ERR_INVALID_INDEX);
        /* Corrupted: one flipped byte in the body, then one in the magic number. */
        path_in_dir(path, sizeof path, "corrupt.cbindex");
        bytes[size / 2] ^= 0x40;
        write_file(path, bytes, size);
        CHECK_STATUS(cb_engine_open(path, &out), CB_ERR_INVALID_INDEX);
        CHECK_STATUS(cb_engine_open_memory(bytes, size, &out), CB_ERR_INVALID_INDEX);
        bytes[size / 2] ^= 0x40;
        bytes[0] ^= 0x01;
        CHECK_STATUS(cb_engine_open_memory(bytes, size, &out), CB_ERR_INVALID_INDEX);
        bytes[0] ^= 0x01;
        CHECK_STATUS(cb_engine_open_memory(bytes, size, &out), CB_OK); /* restored: fine again */
        cb_engine_free(out);
        out = NULL;
        free(bytes);
    }

    /* cb_engine_open_memory */
    unsigned char one = 0;
    CHECK_STATUS(cb_engine_open_memory(NULL, 100, &out), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_open_memory(&one, 0, &out), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_open_memory(&one, 1, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_open_memory(&one, SIZE_MAX, &out), CB_ERR_INVALID_ARGUMENT);

    /* cb_engine_build */
    CHECK_STATUS(cb_engine_build(NULL, NULL, &out), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_build(src, NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_build(bad_utf8, NULL, &out), CB_ERR_INVALID_UTF8);
    CHECK_STATUS(cb_engine_build(src, bad_utf8, &out), CB_ERR_INVALID_UTF8);
    path_in_dir(path, sizeof path, "missing.tsv");
    CHECK_STATUS(cb_engine_build(path, NULL, &out), CB_ERR_IO);
    path_in_dir(path, sizeof path, "missing-synonyms.txt");
    CHECK_STATUS(cb_engine_build(src, path, &out), CB_ERR_IO);
    path_in_dir(path, sizeof path, "bad.tsv");
    CHECK_STATUS(cb_engine_build(path, NULL, &out), CB_ERR_INVALID_SOURCE);
    CHECK(strstr(cb_last_error(), "bad.tsv:2") != NULL, "message names file and line: %s", cb_last_error());
    path_in_dir(path, sizeof path, "bad-synonyms.txt");
    CHECK_STATUS(cb_engine_build(src, path, &out), CB_ERR_INVALID_SOURCE);
    path_in_dir(path, sizeof path, "kb.unknown");
    CHECK_STATUS(cb_engine_build(path, NULL, &out), CB_ERR_INVALID_SOURCE);
    CHECK(out == NULL, "out stays NULL");

    /* cb_engine_save */
    CHECK_STATUS(cb_engine_save(NULL, idx), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_save(e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_save(e, bad_utf8), CB_ERR_INVALID_UTF8);
    path_in_dir(path, sizeof path, "no-such-dir/kb.cbindex");
    CHECK_STATUS(cb_engine_save(e, path), CB_ERR_IO);

    /* Engine facts */
    size_t n = 0;
    const char *id = "x";
    CHECK_STATUS(cb_engine_item_count(NULL, &n), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_count(e, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_id(NULL, 0, &id), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_id(e, 0, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_id(e, 6, &id), CB_ERR_INVALID_ARGUMENT);
    CHECK(id == NULL, "id cleared");
    CHECK_STATUS(cb_engine_item_id(e, SIZE_MAX, &id), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_embedding_dimension(NULL, &n), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_embedding_dimension(e, NULL), CB_ERR_INVALID_ARGUMENT);

    /* cb_match and cb_match_ex */
    CHECK_STATUS(cb_match(NULL, "x", 3, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK(res == NULL, "result cleared");
    CHECK_STATUS(cb_match(e, NULL, 3, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match(e, "x", 3, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match(e, bad_utf8, 3, &res), CB_ERR_INVALID_UTF8);
    CHECK_STATUS(cb_match(e, "x", 0, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match(e, "x", 1001, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "1001") != NULL, "message shows top_k: %s", cb_last_error());
    CHECK_STATUS(cb_match(e, "x", SIZE_MAX, &res), CB_ERR_INVALID_ARGUMENT);
    float vec[4] = {1, 0, 0, 0};
    CHECK_STATUS(cb_match_ex(e, "x", 3, bad_utf8, NULL, 0, &res), CB_ERR_INVALID_UTF8);
    CHECK_STATUS(cb_match_ex(e, "x", 3, NULL, vec, 4, &res), CB_ERR_INVALID_ARGUMENT); /* index has no embeddings */
    CHECK_STATUS(cb_match_ex(e, "x", 3, NULL, vec, 0, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_ex(e, "x", 3, NULL, NULL, 4, &res), CB_ERR_INVALID_ARGUMENT);
    /* cb_match_with_params: size_t fields above INT64_MAX are refused with the caller's value,
     * not a crash (found by fuzzing: Tests/Fuzz/corpus/FuzzCMatch/crash-top-k-size-max). */
    {
        cb_match_params mp = cb_match_default_params();
        char *mj = NULL;
        mp.top_k = SIZE_MAX;
        CHECK_STATUS(cb_match_with_params(e, "x", &mp, &res), CB_ERR_INVALID_ARGUMENT);
        CHECK(strstr(cb_last_error(), "18446744073709551615") != NULL, "message shows top_k: %s", cb_last_error());
        CHECK_STATUS(cb_match_json_with_params(e, "x", &mp, &mj), CB_ERR_INVALID_ARGUMENT);
        mp = cb_match_default_params();
        mp.query_vector = vec;
        mp.query_dim = SIZE_MAX;
        CHECK_STATUS(cb_match_with_params(e, "x", &mp, &res), CB_ERR_INVALID_ARGUMENT);
        mp.query_vector = NULL;
        CHECK_STATUS(cb_match_with_params(e, "x", &mp, &res), CB_ERR_INVALID_ARGUMENT);
        CHECK(strstr(cb_last_error(), "18446744073709551615") != NULL, "message shows query_dim: %s", cb_last_error());
    }
    CHECK_STATUS(cb_match_ex(NULL, "x", 3, NULL, NULL, 0, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_ex(e, "x", 3, NULL, NULL, 0, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_ex(e, NULL, 3, NULL, NULL, 0, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_ex(e, "x", 0, NULL, NULL, 0, &res), CB_ERR_INVALID_ARGUMENT);

    /* cb_match_json */
    CHECK_STATUS(cb_match_json(NULL, "x", 3, &json), CB_ERR_INVALID_ARGUMENT);
    CHECK(json == NULL, "json cleared");
    CHECK_STATUS(cb_match_json(e, NULL, 3, &json), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_json(e, "x", 3, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_json(e, bad_utf8, 3, &json), CB_ERR_INVALID_UTF8);
    CHECK_STATUS(cb_match_json(e, "x", 0, &json), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_json(e, "x", 1001, &json), CB_ERR_INVALID_ARGUMENT);

    /* cb_analyze_json */
    CHECK_STATUS(cb_analyze_json(NULL, "x", &json), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_analyze_json(e, NULL, &json), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_analyze_json(e, "x", NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_analyze_json(e, bad_utf8, &json), CB_ERR_INVALID_UTF8);

    /* cb_match_batch */
    int32_t bi[8];
    float bs[8];
    int32_t bd[2];
    const char *qs[2] = {"congés", "badge"};
    const char *qs_null[2] = {"congés", NULL};
    const char *qs_bad[2] = {"congés", bad_utf8};
    CHECK_STATUS(cb_match_batch(NULL, qs, 2, 4, bi, bs, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, NULL, 2, 4, bi, bs, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, qs, 2, 4, NULL, bs, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, qs, 2, 4, bi, NULL, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, qs, 2, 4, bi, bs, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, qs_null, 2, 4, bi, bs, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "questions[1]") != NULL, "names the question: %s", cb_last_error());
    CHECK_STATUS(cb_match_batch(e, qs_bad, 2, 4, bi, bs, bd), CB_ERR_INVALID_UTF8);
    CHECK(strstr(cb_last_error(), "questions[1]") != NULL, "names the question: %s", cb_last_error());
    CHECK_STATUS(cb_match_batch(e, qs, 2, 0, bi, bs, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, qs, 2, 1001, bi, bs, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, qs, SIZE_MAX / 2, 4, bi, bs, bd), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_match_batch(e, qs, SIZE_MAX, 4, bi, bs, bd), CB_ERR_INVALID_ARGUMENT);

    /* Result accessors on NULL and out of range. */
    CHECK(cb_result_count(NULL) == 0, "count of NULL");
    CHECK(cb_last_error()[0] != '\0', "accessor sets last error");
    CHECK(cb_result_decision(NULL) == CB_DECISION_FALLBACK, "decision of NULL");
    CHECK(cb_result_suggestion_count(NULL) == 0, "suggestions of NULL");
    CHECK(cb_result_id(NULL, 0) == NULL, "id of NULL");
    CHECK(cb_result_question(NULL, 0) == NULL, "question of NULL");
    CHECK(cb_result_answer(NULL, 0) == NULL, "answer of NULL");
    CHECK(cb_result_category(NULL, 0) == NULL, "category of NULL");
    CHECK(cb_result_item_index(NULL, 0) == -1, "index of NULL");
    CHECK(cb_result_score(NULL, 0) == -1.0f, "score of NULL");
    CHECK_STATUS(cb_match(e, "badge", 2, &res), CB_OK);
    CHECK(cb_result_id(res, 2) == NULL, "id out of range");
    CHECK(strstr(cb_last_error(), "out of range") != NULL, "range message: %s", cb_last_error());
    CHECK(cb_result_id(res, SIZE_MAX) == NULL, "id at SIZE_MAX");
    CHECK(cb_result_score(res, 2) == -1.0f, "score out of range");
    CHECK(cb_result_item_index(res, 2) == -1, "index out of range");
    CHECK(cb_result_question(res, 2) == NULL && cb_result_answer(res, 2) == NULL && cb_result_category(res, 2) == NULL,
          "strings out of range");
    cb_result_free(res);

    /* Foreign handles and handles of the wrong type. */
    uint64_t fake[4] = {0, 0, 0, 0};
    cb_engine *foreign = (cb_engine *)fake;
    CHECK_STATUS(cb_match(foreign, "x", 3, &res), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "invalid or freed handle") != NULL, "handle message: %s", cb_last_error());
    CHECK_STATUS(cb_engine_save(foreign, idx), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_item_count(foreign, &n), CB_ERR_INVALID_ARGUMENT);
    cb_engine_free(foreign);
    CHECK(strstr(cb_last_error(), "invalid or freed handle") != NULL, "free of a foreign engine reported");
    CHECK(cb_result_count((cb_result *)fake) == 0, "foreign result");
    cb_result_free((cb_result *)fake);
    CHECK(strstr(cb_last_error(), "invalid or freed handle") != NULL, "free of a foreign result reported");
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, "badge", 2, &r), CB_OK);
    CHECK_STATUS(cb_match((const cb_engine *)r, "x", 3, &res), CB_ERR_INVALID_ARGUMENT); /* result as engine */
    CHECK(cb_result_count((const cb_result *)e) == 0, "engine as result");
    CHECK(strstr(cb_last_error(), "expected a result") != NULL, "type message: %s", cb_last_error());
    cb_result_free((cb_result *)e); /* refused: the engine must still work */
    CHECK_STATUS(cb_match(e, "badge", 2, &res), CB_OK);
    cb_result_free(res);
    cb_result_free(r);

    /* Freed handles (looked up in the registry of live handles, never read: valgrind and
     * ASan check that; test_handles.c covers every handle type). */
    cb_result *gone = NULL;
    CHECK_STATUS(cb_match(e, "badge", 2, &gone), CB_OK);
    cb_result_free(gone);
    cb_result_free(gone);
    CHECK(strstr(cb_last_error(), "invalid or freed handle") != NULL, "double free of a result reported");
    CHECK(cb_result_count(gone) == 0, "freed result");

    cb_engine *dead = NULL;
    CHECK_STATUS(cb_engine_open(idx, &dead), CB_OK);
    cb_engine_free(dead);
    CHECK_STATUS(cb_match(dead, "x", 3, &res), CB_ERR_INVALID_ARGUMENT);
    cb_engine_free(dead);
    CHECK(strstr(cb_last_error(), "invalid or freed handle") != NULL, "double free of an engine reported");

    char *s = NULL;
    CHECK_STATUS(cb_match_json(e, "badge", 1, &s), CB_OK);
    cb_string_free(s);
    cb_string_free(s);
    CHECK(strstr(cb_last_error(), "freed string") != NULL, "double free of a string reported: %s", cb_last_error());
}

/* ---------------------------------------------------------------------------------- */
/* Arbitrary text never breaks matching or analysis                                    */

static uint32_t rng_state = 12345;
static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Appends the UTF-8 encoding of scalar value `c` (never a surrogate). */
static size_t put_utf8(unsigned char *out, uint32_t c) {
    if (c < 0x80) { out[0] = (unsigned char)c; return 1; }
    if (c < 0x800) { out[0] = (unsigned char)(0xC0 | c >> 6); out[1] = (unsigned char)(0x80 | (c & 63)); return 2; }
    if (c < 0x10000) {
        out[0] = (unsigned char)(0xE0 | c >> 12); out[1] = (unsigned char)(0x80 | (c >> 6 & 63));
        out[2] = (unsigned char)(0x80 | (c & 63));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | c >> 18); out[1] = (unsigned char)(0x80 | (c >> 12 & 63));
    out[2] = (unsigned char)(0x80 | (c >> 6 & 63)); out[3] = (unsigned char)(0x80 | (c & 63));
    return 4;
}

/* A scalar from the ranges that stress a French analyser: ASCII (controls included),
 * Latin letters, combining accents, apostrophes and dashes, ligatures, zero-width and
 * bidi marks, other scripts, emoji, private use, noncharacters, the last plane. */
static uint32_t random_scalar(void) {
    static const uint32_t ranges[][2] = {
        {0x01, 0x7F}, {0x41, 0x5A}, {0x61, 0x7A}, {0x20, 0x20}, {0xC0, 0x17F}, {0x300, 0x36F},
        {0x2010, 0x2027}, {0xFB00, 0xFB06}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x0600, 0x06FF},
        {0x4E00, 0x4E80}, {0x1F300, 0x1F6FF}, {0xE000, 0xE010}, {0xFFFE, 0xFFFF}, {0xFDD0, 0xFDEF},
        {0x10FFF0, 0x10FFFF}, {0x2160, 0x2188}, {0x1D400, 0x1D433}, {0xFF01, 0xFF5E},
    };
    const uint32_t *r = ranges[rng() % (sizeof ranges / sizeof ranges[0])];
    return r[0] + rng() % (r[1] - r[0] + 1);
}

static void test_random_text(const cb_engine *e) {
    enum { CASES = 600, MAX_CHARS = 300 };
    unsigned char buf[MAX_CHARS * 4 + 1];
    long bad = 0, invalid_json = 0;
    for (int c = 0; c < CASES; c++) {
        size_t len = 0, chars = rng() % MAX_CHARS;
        for (size_t i = 0; i < chars; i++) len += put_utf8(buf + len, random_scalar());
        buf[len] = 0;
        cb_result *r = NULL;
        char *json = NULL;
        if (cb_match(e, (const char *)buf, 5, &r) != CB_OK) bad++;
        cb_result_free(r);
        if (cb_analyze_json(e, (const char *)buf, &json) != CB_OK) bad++;
        else if (!json_valid(json)) invalid_json++;
        cb_string_free(json);
        if (cb_match_json(e, (const char *)buf, 3, &json) != CB_OK) bad++;
        else if (!json_valid(json)) invalid_json++;
        cb_string_free(json);
    }
    CHECK(bad == 0, "%ld calls failed on valid UTF-8", bad);
    CHECK(invalid_json == 0, "%ld JSON outputs do not parse", invalid_json);

    /* Random bytes: either valid UTF-8 (answered) or rejected, never anything else. */
    long wrong = 0;
    for (int c = 0; c < CASES; c++) {
        size_t len = rng() % 64;
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)(1 + rng() % 255);
        buf[len] = 0;
        cb_result *r = NULL;
        cb_status st = cb_match(e, (const char *)buf, 5, &r);
        if (st != CB_OK && st != CB_ERR_INVALID_UTF8) wrong++;
        if ((st == CB_OK) != (r != NULL)) wrong++;
        cb_result_free(r);
    }
    CHECK(wrong == 0, "%ld random byte strings gave an unexpected status", wrong);

    /* A long question: up to 16 KB is matched; 1 MB is refused at once (issue 13). */
    size_t big = 1 << 20;
    char *longq = malloc(big + 1);
    for (size_t i = 0; i < big; i++) longq[i] = "badge perdu "[i % 12];
    longq[CB_MAX_QUESTION_BYTES] = 0;
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, longq, 3, &r), CB_OK);
    CHECK_STR(cb_result_id(r, 0), "badge");
    cb_result_free(r);
    r = NULL;
    longq[CB_MAX_QUESTION_BYTES] = 'b';
    longq[big] = 0;
    CHECK_STATUS(cb_match(e, longq, 3, &r), CB_ERR_INVALID_ARGUMENT);
    CHECK(r == NULL, "no result for a refused question");
    char limit[64];
    snprintf(limit, sizeof limit, "the limit is %d", CB_MAX_QUESTION_BYTES);
    CHECK(strstr(cb_last_error(), limit) != NULL, "the library's limit is the header's: %s", cb_last_error());
    free(longq);
}

/* ---------------------------------------------------------------------------------- */
/* Last error is per thread                                                             */

static void *error_in_thread(void *arg) {
    char *copy = arg;
    int clean = cb_last_error()[0] == '\0';
    cb_result *r = NULL;
    cb_match(NULL, "x", 3, &r); /* "engine is NULL" on this thread only */
    snprintf(copy, 256, "%s|%s", clean ? "clean" : "dirty", cb_last_error());
    return NULL;
}

static void test_last_error_thread_local(const cb_engine *e) {
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(e, "x", 0, &r), CB_ERR_INVALID_ARGUMENT);
    char mine[256];
    snprintf(mine, sizeof mine, "%s", cb_last_error());
    CHECK(strstr(mine, "top-k") != NULL || strstr(mine, "top_k") != NULL, "top_k message: %s", mine);

    char theirs[256] = "";
    pthread_t t;
    CHECK(pthread_create(&t, NULL, error_in_thread, theirs) == 0, "thread");
    pthread_join(t, NULL);
    CHECK(strncmp(theirs, "clean|", 6) == 0, "new thread starts without an error: %s", theirs);
    CHECK(strstr(theirs, "engine is NULL") != NULL, "thread sees its own error: %s", theirs);
    CHECK_STR(cb_last_error(), mine);

    /* A successful call resets it. */
    CHECK_STATUS(cb_match(e, "x", 1, &r), CB_OK);
    CHECK_STR(cb_last_error(), "");
    cb_result_free(r);
}

/* ---------------------------------------------------------------------------------- */
/* Many threads on one engine                                                           */

typedef struct {
    const cb_engine *engine;
    long iterations;
    int32_t (*expected_index)[5];
    float (*expected_score)[5];
    int *expected_decision;
    size_t *expected_count;
    long mismatches;
    long failures;
} thread_job;

static void *match_many(void *arg) {
    thread_job *job = arg;
    for (long i = 0; i < job->iterations; i++) {
        size_t q = (size_t)i % N_QUESTIONS;
        cb_result *r = NULL;
        if (cb_match(job->engine, questions[q], 5, &r) != CB_OK) { job->failures++; continue; }
        size_t n = cb_result_count(r);
        int same = n == job->expected_count[q] && (int)cb_result_decision(r) == job->expected_decision[q];
        for (size_t j = 0; same && j < n; j++)
            same = cb_result_item_index(r, j) == job->expected_index[q][j] && cb_result_score(r, j) == job->expected_score[q][j];
        if (!same) job->mismatches++;
        cb_result_free(r);
    }
    return NULL;
}

static void test_threads(const cb_engine *e, long iterations) {
    int32_t expected_index[N_QUESTIONS][5];
    float expected_score[N_QUESTIONS][5];
    int expected_decision[N_QUESTIONS];
    size_t expected_count[N_QUESTIONS];
    for (size_t q = 0; q < N_QUESTIONS; q++) {
        cb_result *r = NULL;
        CHECK_STATUS(cb_match(e, questions[q], 5, &r), CB_OK);
        expected_count[q] = cb_result_count(r);
        expected_decision[q] = (int)cb_result_decision(r);
        for (size_t j = 0; j < expected_count[q]; j++) {
            expected_index[q][j] = cb_result_item_index(r, j);
            expected_score[q][j] = cb_result_score(r, j);
        }
        cb_result_free(r);
    }
    enum { THREADS = 8 };
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (thread_job){e, iterations, expected_index, expected_score, expected_decision, expected_count, 0, 0};
        CHECK(pthread_create(&threads[t], NULL, match_many, &jobs[t]) == 0, "thread %d", t);
    }
    long mismatches = 0, failures = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        mismatches += jobs[t].mismatches;
        failures += jobs[t].failures;
    }
    CHECK(failures == 0, "%ld failed matches", failures);
    CHECK(mismatches == 0, "%ld results differ from the single-thread run", mismatches);
    printf("threads: %d × %ld matches on one engine, %ld mismatches\n", THREADS, iterations, mismatches);
}

/* ---------------------------------------------------------------------------------- */

static void write_fixtures(void) {
    char path[512];
    path_in_dir(path, sizeof path, "kb.tsv");
    write_file(path, tsv_source, strlen(tsv_source));
    path_in_dir(path, sizeof path, "faq.csv");
    write_file(path, csv_source, strlen(csv_source));
    path_in_dir(path, sizeof path, "synonymes.txt");
    write_file(path, synonyms_source, strlen(synonyms_source));
    path_in_dir(path, sizeof path, "bad.tsv");
    write_file(path, "ok\tune question\nligne sans tabulation\n", 38);
    path_in_dir(path, sizeof path, "bad-synonyms.txt");
    write_file(path, "congé; ; vacances\n", 18);
    path_in_dir(path, sizeof path, "kb.unknown");
    write_file(path, tsv_source, strlen(tsv_source));
}

static void remove_fixtures(void) {
    const char *names[] = {"kb.tsv", "faq.csv", "synonymes.txt", "bad.tsv", "bad-synonyms.txt", "kb.unknown",
                           "kb.cbindex", "truncated.cbindex", "corrupt.cbindex"};
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path_in_dir(path, sizeof path, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* ---------------------------------------------------------------------------------- */
/* The file under an open engine (issue 13): `cp` over it, truncate it, nothing changes.  */

static void test_file_under_open_engine(void) {
    char live[512], other[512];
    path_in_dir(live, sizeof live, "live.cbindex");
    path_in_dir(other, sizeof other, "other.cbindex");
    cb_engine *reference = build_tsv();
    CHECK_STATUS(cb_engine_save(reference, live), CB_OK);
    char csv[512];
    path_in_dir(csv, sizeof csv, "faq.csv");
    cb_engine *different = NULL;
    CHECK_STATUS(cb_engine_build(csv, NULL, &different), CB_OK);
    CHECK_STATUS(cb_engine_save(different, other), CB_OK);
    cb_engine_free(different);

    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_open(live, &e), CB_OK);
    if (!e) { cb_engine_free(reference); return; }
    CHECK(same_engines(e, reference), "freshly opened");

    /* What `cp other live` does: the same inode, truncated, then written. Before issue 13
     * the mapped engine looped forever in its vocabulary probe here. */
    size_t n = 0;
    unsigned char *bytes = read_all(other, &n);
    CHECK(bytes && write_file(live, bytes, n), "overwrite in place");
    free(bytes);
    CHECK(same_engines(e, reference), "after the file was rewritten in place");
    /* `: > live` and `truncate`: SIGBUS on the next page touched, before issue 13. */
    CHECK(truncate(live, 0) == 0, "truncate to 0");
    CHECK(same_engines(e, reference), "after the file was emptied");
    CHECK(truncate(live, 100) == 0, "truncate to 100");
    CHECK(same_engines(e, reference), "after the file was cut to 100 bytes");
    cb_engine *broken = NULL;
    CHECK_STATUS(cb_engine_open(live, &broken), CB_ERR_INVALID_INDEX);
    CHECK(broken == NULL, "no engine from a damaged file");

    cb_engine_free(e);
    cb_engine_free(reference);
    unlink(live);
    unlink(other);
}

/* Mapped opening (issue 15): CB_OPEN_MAP opens without reading the contents, answers as a
 * copy does, and reports damaged contents on the first call that needs them. */
static void test_open_mapped(void) {
    char live[512], damaged[512], cut[512];
    path_in_dir(live, sizeof live, "mapped.cbindex");
    path_in_dir(damaged, sizeof damaged, "mapped-damaged.cbindex");
    path_in_dir(cut, sizeof cut, "mapped-cut.cbindex");
    cb_engine *reference = build_tsv();
    CHECK_STATUS(cb_engine_save(reference, live), CB_OK);

    cb_open_params params = cb_open_default_params();
    CHECK(params.size == sizeof(cb_open_params), "default size");
    CHECK(params.mode == CB_OPEN_COPY, "default mode: copy");
    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_open_with_params(live, NULL, &e), CB_OK); /* NULL params: the defaults */
    CHECK(e && same_engines(e, reference), "copied with NULL params");
    CHECK_STATUS(cb_engine_verify(e), CB_OK);
    cb_engine_free(e);

    params.mode = CB_OPEN_MAP;
    e = NULL;
    CHECK_STATUS(cb_engine_open_with_params(live, &params, &e), CB_OK);
    if (!e) { cb_engine_free(reference); return; }
    CHECK(same_engines(e, reference), "mapped");
    CHECK_STATUS(cb_engine_verify(e), CB_OK);
    CHECK_STATUS(cb_engine_verify(e), CB_OK);

    /* Argument errors. */
    cb_engine *none = NULL;
    CHECK_STATUS(cb_engine_verify(NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_open_with_params(NULL, &params, &none), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_engine_open_with_params(live, &params, NULL), CB_ERR_INVALID_ARGUMENT);
    cb_open_params bad = params;
    bad.size = 4;
    CHECK_STATUS(cb_engine_open_with_params(live, &bad, &none), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "cb_open_default_params") != NULL, "size error names the defaults");
    bad = params;
    bad.mode = 7;
    CHECK_STATUS(cb_engine_open_with_params(live, &bad, &none), CB_ERR_INVALID_ARGUMENT);
    CHECK(strstr(cb_last_error(), "mode is 7") != NULL, "mode error: %s", cb_last_error());
    bad.mode = -1;
    CHECK_STATUS(cb_engine_open_with_params(live, &bad, &none), CB_ERR_INVALID_ARGUMENT);
    CHECK(none == NULL, "no engine from bad arguments");
    char missing[512];
    path_in_dir(missing, sizeof missing, "missing.cbindex");
    CHECK_STATUS(cb_engine_open_with_params(missing, &params, &none), CB_ERR_IO);

    /* One byte of the contents damaged: the mapped open succeeds, every match and the
     * verification fail, naming the checksum; a copied open refuses the file at once. */
    size_t n = 0;
    unsigned char *bytes = read_all(live, &n);
    CHECK(bytes && n > 200, "index bytes");
    if (bytes) {
        bytes[n - 100] ^= 0x5A;
        CHECK(write_file(damaged, bytes, n), "damaged copy");
        CHECK(write_file(cut, bytes, 100), "cut copy");
        free(bytes);
    }
    cb_engine *broken = NULL;
    CHECK_STATUS(cb_engine_open(damaged, &broken), CB_ERR_INVALID_INDEX);
    CHECK_STATUS(cb_engine_open_with_params(damaged, &params, &broken), CB_OK);
    if (broken) {
        cb_result *r = NULL;
        CHECK_STATUS(cb_match(broken, "comment poser des congés", 3, &r), CB_ERR_INVALID_INDEX);
        CHECK(r == NULL && strstr(cb_last_error(), "checksum") != NULL, "match names the damage: %s", cb_last_error());
        CHECK_STATUS(cb_match(broken, "comment poser des congés", 3, &r), CB_ERR_INVALID_INDEX);
        CHECK_STATUS(cb_engine_verify(broken), CB_ERR_INVALID_INDEX);
        char *json = NULL;
        CHECK_STATUS(cb_match_json(broken, "badge", 3, &json), CB_ERR_INVALID_INDEX);
        CHECK(json == NULL, "no JSON");
        cb_engine_free(broken);
    }
    broken = NULL;
    CHECK_STATUS(cb_engine_open_with_params(cut, &params, &broken), CB_ERR_INVALID_INDEX);
    CHECK(broken == NULL && strstr(cb_last_error(), "truncated") != NULL, "a cut file is refused at open");

    /* Reload keeps the mode and verifies the contents before swapping: the damaged file is
     * refused and the engine keeps answering from the old index. */
    CHECK_STATUS(cb_engine_reload(e, damaged), CB_ERR_INVALID_INDEX);
    CHECK(strstr(cb_last_error(), "checksum") != NULL, "reload names the damage");
    CHECK(same_engines(e, reference), "still the old index after a refused reload");
    CHECK_STATUS(cb_engine_reload(e, live), CB_OK);
    CHECK(same_engines(e, reference), "reloaded, mapped");

    /* An 8 TiB sparse file: refused (header of zeros, or no address space), never a crash. */
    char huge[512];
    path_in_dir(huge, sizeof huge, "huge-mapped.cbindex");
    if (write_file(huge, "", 0) && truncate(huge, (off_t)1 << 43) == 0) {
        cb_status st = cb_engine_open_with_params(huge, &params, &none);
        CHECK(st == CB_ERR_INVALID_INDEX || st == CB_ERR_OUT_OF_MEMORY, "8 TiB mapped: %d %s", st, cb_last_error());
        CHECK(none == NULL, "no engine");
    }
    unlink(huge);

    cb_engine_free(e);
    cb_engine_free(reference);
    unlink(live);
    unlink(damaged);
    unlink(cut);
}

/* Sizes (issue 13): a source over CB_MAX_SOURCE_BYTES is refused before it is read; an index
 * larger than memory is CB_ERR_OUT_OF_MEMORY, not an abort. Both are sparse files. */
static void test_file_sizes(void) {
    char huge[512], limit[64];
    path_in_dir(huge, sizeof huge, "huge.tsv");
    CHECK(write_file(huge, "", 0) && truncate(huge, (off_t)CB_MAX_SOURCE_BYTES + 1) == 0, "sparse source");
    cb_engine *e = NULL;
    CHECK_STATUS(cb_engine_build(huge, NULL, &e), CB_ERR_IO);
    snprintf(limit, sizeof limit, "the %d-byte limit", CB_MAX_SOURCE_BYTES);
    CHECK(strstr(cb_last_error(), limit) != NULL, "the message names the limit");
    CHECK(e == NULL, "no engine");
    unlink(huge);

    path_in_dir(huge, sizeof huge, "huge.cbindex");
    if (write_file(huge, "", 0) && truncate(huge, (off_t)1 << 43) == 0) { /* 8 TiB */
        CHECK_STATUS(cb_engine_open(huge, &e), CB_ERR_OUT_OF_MEMORY);
        CHECK(e == NULL, "no engine");
    }
    unlink(huge);
}

int main(int argc, char **argv) {
    long iterations = 100000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--valgrind") == 0) {
            iterations = 1000;
        } else {
            fprintf(stderr, "usage: %s [--valgrind]\n", argv[0]);
            return 2;
        }
    }
    const char *env = getenv("CB_TEST_ITERATIONS");
    if (env && *env) iterations = strtol(env, NULL, 10);

    snprintf(dir, sizeof dir, "/tmp/cb-c-test-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    write_fixtures();

    test_versions_and_strings();
    test_lifecycle();
    test_csv_source();
    test_file_under_open_engine();
    test_file_sizes();
    test_open_mapped();
    cb_engine *e = build_tsv();
    test_json(e);
    test_batch(e);
    test_errors(e);
    test_random_text(e);
    test_last_error_thread_local(e);
    test_threads(e, iterations);
    cb_engine_free(e);

    remove_fixtures();
    return check_summary();
}
