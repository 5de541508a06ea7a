/* The anonymiser through the C interface: built-in kinds, host patterns, JSON offsets,
 * threads sharing one anonymiser, and every error path. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chatbot.h"
#include "check.h"
#include "json_check.h"

static const char *const message = "Écrivez à jean.dupont@exemple.fr ou au 06 12 34 56 78, matricule M123456, le 12/03/2024.";

static void *worker(void *arg) {
    const cb_anonymizer *a = arg;
    for (int i = 0; i < 2000; i++) {
        char *out = NULL;
        if (cb_anonymize(a, message, &out) != CB_OK || !strstr(out, "[MATRICULE]")) {
            cb_string_free(out);
            return (void *)1;
        }
        cb_string_free(out);
    }
    return NULL;
}

int main(void) {
    char *out = NULL;
    /* NULL: the built-in kinds. */
    CHECK_STATUS(cb_anonymize(NULL, message, &out), CB_OK);
    CHECK_STR(out, "Écrivez à [EMAIL] ou au [TELEPHONE], matricule M123456, le 12/03/2024.");
    cb_string_free(out);

    cb_anonymizer_params p = cb_anonymizer_default_params();
    CHECK(p.size == sizeof(cb_anonymizer_params) && p.pattern_count == 0, "defaults");
    const char *names[] = {"MATRICULE"};
    const char *patterns[] = {"M######"};
    p.pattern_count = 1;
    p.pattern_names = names;
    p.patterns = patterns;
    cb_anonymizer *a = NULL;
    CHECK_STATUS(cb_anonymizer_new(&p, &a), CB_OK);
    CHECK_STATUS(cb_anonymize(a, message, &out), CB_OK);
    CHECK_STR(out, "Écrivez à [EMAIL] ou au [TELEPHONE], matricule [MATRICULE], le 12/03/2024.");
    cb_string_free(out);
    CHECK_STATUS(cb_anonymize_json(a, message, &out), CB_OK);
    CHECK(out && json_valid(out), "valid JSON: %s", out);
    /* "Écrivez à " is 12 bytes (É and à take two each). */
    CHECK(out && strstr(out, "{\"kind\":\"EMAIL\",\"start\":12,\"end\":34}"), "offsets: %s", out);
    CHECK(out && strstr(out, "\"kind\":\"MATRICULE\""), "host pattern: %s", out);
    cb_string_free(out);
    CHECK_STATUS(cb_anonymize(a, "", &out), CB_OK);
    CHECK_STR(out, "");
    cb_string_free(out);

    pthread_t threads[4];
    for (int t = 0; t < 4; t++) pthread_create(&threads[t], NULL, worker, a);
    int bad = 0;
    for (int t = 0; t < 4; t++) {
        void *r = NULL;
        pthread_join(threads[t], &r);
        bad += r != NULL;
    }
    CHECK(bad == 0, "threads sharing one anonymizer: %d failed", bad);

    /* Errors. */
    CHECK_STATUS(cb_anonymize(a, NULL, &out), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_anonymize(a, message, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_anonymize(a, "\xc3\x28", &out), CB_ERR_INVALID_UTF8);
    CHECK(out == NULL, "out cleared");
    CHECK_STATUS(cb_anonymize((const cb_anonymizer *)"not a handle....", message, &out), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_anonymizer_new(NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    cb_anonymizer *b = (cb_anonymizer *)1;
    const char *bad_names[] = {"EMAIL"};
    p.pattern_names = bad_names;
    CHECK_STATUS(cb_anonymizer_new(&p, &b), CB_ERR_INVALID_ARGUMENT);
    CHECK(b == NULL && strstr(cb_last_error(), "EMAIL"), "reserved name: %s", cb_last_error());
    const char *bad_patterns[] = {""};
    p.pattern_names = names;
    p.patterns = bad_patterns;
    CHECK_STATUS(cb_anonymizer_new(&p, &b), CB_ERR_INVALID_ARGUMENT);
    p.patterns = NULL;
    CHECK_STATUS(cb_anonymizer_new(&p, &b), CB_ERR_INVALID_ARGUMENT);
    p = cb_anonymizer_default_params();
    p.size = 1;
    CHECK_STATUS(cb_anonymizer_new(&p, &b), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_anonymizer_new(NULL, &b), CB_OK);
    cb_anonymizer_free(b);
    cb_anonymizer_free(NULL);
    cb_anonymizer_free(a);
    return check_summary();
}
