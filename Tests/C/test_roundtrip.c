/* The inbox round trip through the C interface: ask with logging, review, apply to the
 * source workbook with a warm rebuild of the index, reload, and the new phrasing is
 * answered; applying again applies nothing. Then the template export round trip and the
 * error paths of cb_log_apply and cb_export_template.
 *
 *   test_roundtrip FIXTURES_DIR      (Tests/Fixtures/usine: template.xlsx, template.ods)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chatbot.h"
#include "check.h"
#include "json_check.h"

static const char *const phrasing = "je souhaite déposer une demande d'absence";

static int copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    if (!in || !out) { if (in) fclose(in); return -1; }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
    fclose(in);
    return fclose(out);
}

static int exists(const char *path) { struct stat st; return stat(path, &st) == 0; }

/* The decision and best item for `question`. */
static cb_decision ask(const cb_engine *engine, const char *question, char *best, size_t size) {
    cb_result *r = NULL;
    best[0] = '\0';
    if (cb_match(engine, question, 3, &r) != CB_OK) return CB_DECISION_FALLBACK;
    cb_decision d = cb_result_decision(r);
    if (cb_result_count(r) > 0) snprintf(best, size, "%s", cb_result_id(r, 0));
    cb_result_free(r);
    return d;
}

/* The integer after the first `"key":`; -1 when absent. */
static long long json_int(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *p = json ? strstr(json, pattern) : NULL;
    return p ? strtoll(p + strlen(pattern), NULL, 10) : -1;
}

/* Number of files in `dir` whose name starts with `prefix`. */
static int count_prefixed(const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: test_roundtrip FIXTURES_DIR\n"); return 2; }
    char dir[] = "/tmp/cb-test-roundtrip-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
    char fixture[512], source[512], index[512], logpath[512], ods[512], exported[512], exported_csv[512], tmp[512];
    snprintf(fixture, sizeof fixture, "%s/template.xlsx", argv[1]);
    snprintf(source, sizeof source, "%s/template.xlsx", dir);
    snprintf(index, sizeof index, "%s/modele.cbindex", dir);
    snprintf(logpath, sizeof logpath, "%s/log.db", dir);
    snprintf(ods, sizeof ods, "%s/template.ods", dir);
    snprintf(exported, sizeof exported, "%s/export.xlsx", dir);
    snprintf(exported_csv, sizeof exported_csv, "%s/export.csv", dir);
    CHECK(copy_file(fixture, source) == 0, "copy %s", fixture);
    snprintf(tmp, sizeof tmp, "%s/template.ods", argv[1]);
    CHECK(copy_file(tmp, ods) == 0, "copy %s", tmp);

    /* Build, save, open: the deployed index. */
    cb_build_params bp = cb_build_default_params();
    cb_engine *built = NULL;
    CHECK_STATUS(cb_engine_build_with_params(source, &bp, &built, NULL), CB_OK);
    if (!built) return check_summary();
    size_t items_before = 0;
    CHECK_STATUS(cb_engine_item_count(built, &items_before), CB_OK);
    CHECK_STATUS(cb_engine_save(built, index), CB_OK);
    cb_engine_free(built);
    cb_engine *engine = NULL;
    CHECK_STATUS(cb_engine_open(index, &engine), CB_OK);
    if (!engine) return check_summary();

    /* The new phrasing is not answered by conges yet. */
    char best[128];
    cb_decision d = ask(engine, phrasing, best, sizeof best);
    CHECK(!(d == CB_DECISION_ANSWER && strcmp(best, "conges") == 0), "not answered by conges before apply (decision %d, %s)", d, best);

    /* Ask with logging, review. */
    cb_log *log = NULL;
    CHECK_STATUS(cb_log_open(logpath, NULL, &log), CB_OK);
    if (!log) return check_summary();
    cb_result *r = NULL;
    CHECK_STATUS(cb_match(engine, phrasing, 5, &r), CB_OK);
    CHECK_STATUS(cb_log_record(log, phrasing, r, NULL), CB_OK);
    cb_result_free(r);
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    char *inbox = NULL;
    CHECK_STATUS(cb_log_inbox_json(log, NULL, 10, &inbox), CB_OK);
    CHECK(inbox && json_valid(inbox) && strstr(inbox, "demande d'absence"), "the inbox has the phrasing: %s", inbox ? inbox : "(null)");
    long long id = json_int(inbox, "id");
    cb_string_free(inbox);
    CHECK(id > 0, "its id: %lld", id);
    CHECK_STATUS(cb_log_review(log, id, CB_REVIEW_ACCEPT, "conges"), CB_OK);

    /* Apply with a rebuild, reload. */
    char *report = NULL;
    CHECK_STATUS(cb_log_apply(log, source, index, &report), CB_OK);
    CHECK(report && json_valid(report), "report JSON valid: %s", report ? report : "(null)");
    CHECK(json_int(report, "applied") == 1, "applied 1: %s", report);
    CHECK(json_int(report, "marked") == 1, "marked 1: %s", report);
    CHECK(report && strstr(report, "\"skipped\":[]") && strstr(report, "\"pending\":[]"), "nothing skipped or pending: %s", report);
    CHECK(report && strstr(report, "\"item\":\"conges\""), "added to conges: %s", report);
    CHECK(report && strstr(report, "\"warm_start\":true"), "warm start: %s", report);
    CHECK(report && strstr(report, "\"rebuild_ms\":") && !strstr(report, "\"rebuild_ms\":null"), "rebuild time: %s", report);
    CHECK(report && strstr(report, "\"backup\":\"") && strstr(report, "template.xlsx.bak-"), "backup named: %s", report);
    cb_string_free(report);
    CHECK(count_prefixed(dir, "template.xlsx.bak-") == 1, "one backup file next to the source");
    CHECK(count_prefixed(dir, "modele.cbindex.") == 0, "no temporary file left next to the index");
    CHECK_STATUS(cb_engine_reload(engine, index), CB_OK);
    d = ask(engine, phrasing, best, sizeof best);
    CHECK(d == CB_DECISION_ANSWER && strcmp(best, "conges") == 0, "answered by conges after apply + reload (decision %d, %s)", d, best);

    /* The rewritten workbook builds on its own and has the phrasing. */
    cb_engine *rebuilt = NULL;
    CHECK_STATUS(cb_engine_build_with_params(source, &bp, &rebuilt, NULL), CB_OK);
    if (rebuilt) {
        d = ask(rebuilt, phrasing, best, sizeof best);
        CHECK(d == CB_DECISION_ANSWER && strcmp(best, "conges") == 0, "the workbook answers it (decision %d, %s)", d, best);
        cb_engine_free(rebuilt);
    }

    /* Applying again applies nothing, writes nothing. */
    CHECK_STATUS(cb_log_apply(log, source, index, &report), CB_OK);
    CHECK(json_int(report, "applied") == 0 && report && strstr(report, "\"backup\":null") && strstr(report, "\"index\":null"),
          "applying again: nothing: %s", report ? report : "(null)");
    cb_string_free(report);
    CHECK_STATUS(cb_log_apply(log, source, NULL, NULL), CB_OK);
    CHECK(count_prefixed(dir, "template.xlsx.bak-") == 1, "still one backup");

    /* Errors of cb_log_apply. */
    report = (char *)"sentinel";
    CHECK_STATUS(cb_log_apply(log, ods, NULL, &report), CB_ERR_INVALID_ARGUMENT);
    CHECK(report == NULL, "report is NULL after a failure");
    CHECK(strstr(cb_last_error(), ".ods") || strstr(cb_last_error(), "not supported"), "ods message: %s", cb_last_error());
    CHECK_STATUS(cb_log_apply(log, index, NULL, NULL), CB_ERR_INVALID_ARGUMENT);   /* an index as the source */
    CHECK_STATUS(cb_log_apply(log, source, source, NULL), CB_ERR_INVALID_ARGUMENT); /* the index is the source */
    CHECK_STATUS(cb_log_apply(log, source, ods, NULL), CB_ERR_INVALID_ARGUMENT);    /* not an index: not replaced */
    CHECK_STATUS(cb_log_apply(NULL, source, NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_apply(log, NULL, NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_log_apply(log, "\xff\xfe.xlsx", NULL, NULL), CB_ERR_INVALID_UTF8);
    /* A source that does not read, with something to apply. */
    cb_match(engine, "une question toute neuve sur le parking des vélos", 3, &r);
    cb_log_record(log, "une question toute neuve sur le parking des vélos", r, NULL);
    cb_result_free(r);
    CHECK_STATUS(cb_log_flush(log), CB_OK);
    CHECK_STATUS(cb_log_inbox_json(log, NULL, 1, &inbox), CB_OK);
    long long id2 = json_int(inbox, "id");
    cb_string_free(inbox);
    CHECK_STATUS(cb_log_review(log, id2, CB_REVIEW_OUT_OF_SCOPE, NULL), CB_OK);
    snprintf(tmp, sizeof tmp, "%s/broken.csv", dir);
    FILE *f = fopen(tmp, "w");
    fputs("ceci,n'est,pas\nune base\n", f);
    fclose(f);
    CHECK_STATUS(cb_log_apply(log, tmp, NULL, NULL), CB_ERR_INVALID_SOURCE);
    snprintf(tmp, sizeof tmp, "%s/missing.xlsx", dir);
    CHECK_STATUS(cb_log_apply(log, tmp, NULL, NULL), CB_ERR_IO);
    cb_log *ro = NULL;
    cb_log_params lp = cb_log_default_params();
    lp.read_only = 1;
    CHECK_STATUS(cb_log_open(logpath, &lp, &ro), CB_OK);
    CHECK_STATUS(cb_log_apply(ro, source, NULL, NULL), CB_ERR_INVALID_ARGUMENT);
    cb_log_free(ro);

    /* Template export: index -> .xlsx -> build: the same items. */
    CHECK_STATUS(cb_export_template(index, exported, 0), CB_OK);
    cb_engine *from_export = NULL;
    CHECK_STATUS(cb_engine_build_with_params(exported, &bp, &from_export, NULL), CB_OK);
    size_t n_index = 0, n_export = 0;
    CHECK_STATUS(cb_engine_item_count(engine, &n_index), CB_OK);
    if (from_export) {
        CHECK_STATUS(cb_engine_item_count(from_export, &n_export), CB_OK);
        CHECK(n_export == n_index && n_index > 0, "export round trip: %zu items, index %zu", n_export, n_index);
        d = ask(from_export, phrasing, best, sizeof best);
        CHECK(d == CB_DECISION_ANSWER && strcmp(best, "conges") == 0, "the export has the applied phrasing");
        cb_engine_free(from_export);
    }
    CHECK_STATUS(cb_export_template(source, exported_csv, 0), CB_OK);
    f = fopen(exported_csv, "rb");
    unsigned char head[6] = {0};
    if (f) { CHECK(fread(head, 1, 6, f) == 6, "read the CSV"); fclose(f); }
    CHECK(memcmp(head, "\xef\xbb\xbf" "ID;", 6) == 0, "the CSV export starts with a BOM and the header");

    /* Errors of cb_export_template. */
    CHECK_STATUS(cb_export_template(index, exported, 0), CB_ERR_INVALID_ARGUMENT);        /* exists */
    CHECK_STATUS(cb_export_template(index, exported, 1), CB_OK);                          /* overwrite */
    CHECK_STATUS(cb_export_template(exported, exported, 1), CB_ERR_INVALID_ARGUMENT);     /* its input */
    snprintf(tmp, sizeof tmp, "%s/index-named.xlsx", dir);
    CHECK(copy_file(index, tmp) == 0, "copy the index");
    CHECK_STATUS(cb_export_template(source, tmp, 1), CB_ERR_INVALID_ARGUMENT);            /* a compiled index */
    snprintf(tmp, sizeof tmp, "%s/out.ods", dir);
    CHECK_STATUS(cb_export_template(source, tmp, 1), CB_ERR_INVALID_ARGUMENT);            /* .ods */
    CHECK(!exists(tmp), "nothing written");
    snprintf(tmp, sizeof tmp, "%s/missing.xlsx", dir);
    CHECK_STATUS(cb_export_template(tmp, exported_csv, 1), CB_ERR_IO);
    snprintf(tmp, sizeof tmp, "%s/broken.csv", dir);
    CHECK_STATUS(cb_export_template(tmp, exported_csv, 1), CB_ERR_INVALID_SOURCE);
    CHECK_STATUS(cb_export_template(NULL, exported, 1), CB_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(cb_export_template(index, NULL, 1), CB_ERR_INVALID_ARGUMENT);

    cb_log_free(log);
    cb_engine_free(engine);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return check_summary();
}
