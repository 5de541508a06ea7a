/* A strict JSON syntax checker (RFC 8259), enough to prove that the library's JSON
 * output parses: it validates and discards, building nothing. */
#ifndef CB_TEST_JSON_CHECK_H
#define CB_TEST_JSON_CHECK_H

#include <string.h>

static int json_value(const char **p, int depth);

static void json_space(const char **p) {
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r') (*p)++;
}

static int json_string(const char **p) {
    if (**p != '"') return 0;
    (*p)++;
    for (;;) {
        unsigned char c = (unsigned char)**p;
        if (c == '"') { (*p)++; return 1; }
        if (c < 0x20) return 0; /* includes the terminating NUL */
        if (c == '\\') {
            (*p)++;
            if (strchr("\"\\/bfnrt", **p) && **p) { (*p)++; continue; }
            if (**p != 'u') return 0;
            (*p)++;
            for (int i = 0; i < 4; i++, (*p)++)
                if (!strchr("0123456789abcdefABCDEF", **p) || !**p) return 0;
            continue;
        }
        (*p)++;
    }
}

static int json_digits(const char **p) {
    const char *start = *p;
    while (**p >= '0' && **p <= '9') (*p)++;
    return *p > start;
}

static int json_number(const char **p) {
    if (**p == '-') (*p)++;
    if (**p == '0') (*p)++;
    else if (!json_digits(p)) return 0;
    if (**p == '.') { (*p)++; if (!json_digits(p)) return 0; }
    if (**p == 'e' || **p == 'E') {
        (*p)++;
        if (**p == '+' || **p == '-') (*p)++;
        if (!json_digits(p)) return 0;
    }
    return 1;
}

static int json_literal(const char **p, const char *word) {
    size_t n = strlen(word);
    if (strncmp(*p, word, n) != 0) return 0;
    *p += n;
    return 1;
}

static int json_container(const char **p, char close, int is_object, int depth) {
    (*p)++;
    json_space(p);
    if (**p == close) { (*p)++; return 1; }
    for (;;) {
        json_space(p);
        if (is_object) {
            if (!json_string(p)) return 0;
            json_space(p);
            if (**p != ':') return 0;
            (*p)++;
        }
        if (!json_value(p, depth + 1)) return 0;
        json_space(p);
        if (**p == ',') { (*p)++; continue; }
        if (**p == close) { (*p)++; return 1; }
        return 0;
    }
}

static int json_value(const char **p, int depth) {
    if (depth > 64) return 0;
    json_space(p);
    switch (**p) {
    case '{': return json_container(p, '}', 1, depth);
    case '[': return json_container(p, ']', 0, depth);
    case '"': return json_string(p);
    case 't': return json_literal(p, "true");
    case 'f': return json_literal(p, "false");
    case 'n': return json_literal(p, "null");
    default: return json_number(p);
    }
}

/* 1 when `text` is exactly one valid JSON value (surrounding whitespace allowed). */
static int json_valid(const char *text) {
    const char *p = text;
    if (!json_value(&p, 0)) return 0;
    json_space(&p);
    return *p == '\0';
}

#endif
