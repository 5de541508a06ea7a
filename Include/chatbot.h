/*
 * chatbot.h — C interface of libchatbot, a French question-matching engine.
 *
 * An engine is a compiled knowledge base: questions with their answers. Given a user's
 * question, the engine returns the closest items, their scores and a decision (answer,
 * suggest, or fall back to a person).
 *
 * Conventions (the same for every function):
 *
 *  - Every name starts with `cb_`. Objects are opaque handles (`cb_engine`, `cb_result`,
 *    `cb_diagnostics`, `cb_anonymizer`, `cb_log`)
 *    created by one function and released by exactly one `*_free` function, which
 *    accepts NULL.
 *  - Functions that can fail return a `cb_status`. On failure they return a non-zero
 *    code, set a thread-local message readable with `cb_last_error()`, and set their
 *    output pointer (if any) to NULL. When they succeed, the message is reset to "".
 *    Result accessors, which return values directly, only set it when they fail.
 *  - Text is UTF-8, NUL-terminated. Invalid UTF-8 is rejected with CB_ERR_INVALID_UTF8.
 *  - Every pointer parameter is checked: NULL where a value is required gives
 *    CB_ERR_INVALID_ARGUMENT.
 *  - Handles are validated before use. The library keeps a registry of its live handles
 *    (and of the strings `cb_string_free` releases): every call looks its handle up there
 *    first, and every `*_free` function removes it there before releasing it. A handle
 *    that was already freed, a pointer that never came from this library, or a handle of
 *    another type is therefore refused with CB_ERR_INVALID_ARGUMENT ("invalid or freed
 *    handle (expected …)"; free functions ignore it and set `cb_last_error()`), and the
 *    library never reads the memory such a pointer names. One limit remains: once freed,
 *    an address may be given to a new handle, which a stale pointer then names. Using a
 *    freed handle is a bug in the caller that the library reports when it can; it is not
 *    a way to test whether a handle is still alive.
 *  - No function aborts the process on bad input.
 *  - The interface grows through option structs (`cb_build_params`, `cb_match_params`)
 *    made by `cb_*_default_params()`, never by changing existing functions. Every
 *    function of an earlier release keeps working; CB_ABI_VERSION changes only if one
 *    must change incompatibly.
 *
 * Thread safety: an open engine is immutable. Any number of threads may use the same
 * `cb_engine` at once (match, analyze, save, accessors) without locking, and one of them
 * may replace its index meanwhile with `cb_engine_reload`. `cb_engine_free` must not race
 * with other calls on the same engine. A `cb_result` may be read from any thread, but must
 * not be freed while another thread reads it. (The handle registry has its own locks: two
 * threads that free the same handle at once release it once, and the other free reports
 * it; a call racing with the free of its own handle is still undefined.)
 */
#ifndef CHATBOT_H
#define CHATBOT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of the library, as a string literal ("major.minor.patch"). */
#define CB_VERSION "0.1.0"
/** Version of this C interface. It changes only when existing functions change
 *  incompatibly; compare with `cb_abi_version()` at run time. */
#define CB_ABI_VERSION 1

/** Largest `top_k` accepted by the matching functions. */
#define CB_MAX_TOP_K 1000

/** Longest question the matching functions accept, in bytes (not counting the NUL); a
 *  longer one is refused at once with CB_ERR_INVALID_ARGUMENT, whatever it holds. A knowledge
 *  base with a longer stored question does not build. */
#define CB_MAX_QUESTION_BYTES 16384

/** Largest knowledge-base source read (.xlsx, .ods, .csv, .tsv, .json), in bytes: 128 MiB
 *  (a million questions of TSV take 70 MB). A larger file is refused with CB_ERR_IO before
 *  any of it is read. Workbooks have further limits (50 MB per file, inflated size, rows,
 *  columns, cells: see the README's "Limits"). */
#define CB_MAX_SOURCE_BYTES (128 * 1024 * 1024)
/** Largest synonyms file read, in bytes: 16 MiB (CB_ERR_IO above it). */
#define CB_MAX_SYNONYMS_BYTES (16 * 1024 * 1024)
/** Largest static word-vector file read (`cb_build_params.word_vectors_path`): 1 GiB. */
#define CB_MAX_WORD_VECTOR_BYTES (1024 * 1024 * 1024)

/** Result of every function that can fail. */
typedef enum cb_status {
    CB_OK = 0,
    /** A NULL pointer, an invalid or freed handle, or a value out of range. */
    CB_ERR_INVALID_ARGUMENT = 1,
    /** A file could not be opened, read or written. */
    CB_ERR_IO = 2,
    /** An index is truncated, corrupted, or from an incompatible version. */
    CB_ERR_INVALID_INDEX = 3,
    /** A knowledge-base or synonyms source is malformed (the message names file and line). */
    CB_ERR_INVALID_SOURCE = 4,
    /** A text argument is not valid UTF-8. */
    CB_ERR_INVALID_UTF8 = 5,
    /** Memory could not be allocated. */
    CB_ERR_OUT_OF_MEMORY = 6,
    /** A bug in libchatbot; please report it with the message. */
    CB_ERR_INTERNAL = 7,
    /** The requested item (by id) is not in the knowledge base. */
    CB_ERR_NOT_FOUND = 8
} cb_status;

/** What the host should do with a question. */
typedef enum cb_decision {
    /** The first match is the answer. */
    CB_DECISION_ANSWER = 0,
    /** Offer the first `cb_result_suggestion_count()` matches to the user. */
    CB_DECISION_SUGGEST = 1,
    /** Nothing is close enough: hand over to a person. */
    CB_DECISION_FALLBACK = 2
} cb_decision;

/** A compiled knowledge base. Immutable; shareable between threads. */
typedef struct cb_engine cb_engine;
/** The answer to one question: a decision, up to top_k matches best first, and the reply. */
typedef struct cb_result cb_result;
/** The errors and warnings found in a knowledge-base source, in row order. */
typedef struct cb_diagnostics cb_diagnostics;
/** Masks personal data in French text (see `cb_anonymize`). Immutable; shareable between threads. */
typedef struct cb_anonymizer cb_anonymizer;

/** Severity of a source diagnostic: errors refuse the build, warnings do not. */
typedef enum cb_severity {
    CB_SEVERITY_ERROR = 0,
    CB_SEVERITY_WARNING = 1
} cb_severity;

/** Options of `cb_engine_build_with_params`. Always start from `cb_build_default_params()`
 *  and change the fields you need: later versions add fields at the end, and `size` tells
 *  the library which version of the struct the caller was compiled with. */
typedef struct cb_build_params {
    /** sizeof(cb_build_params), set by cb_build_default_params(); do not change it. */
    uint32_t size;
    /** Non-zero: merge the built-in French small-talk pack (greetings, thanks, "are you a
     *  robot?"…); the base's own `st_` items win. Default 0. */
    int32_t small_talk;
    /** Synonyms file (one group per line, entries separated by ';'), or NULL (default). */
    const char *synonyms_path;
    /** Non-zero (default): learn an item model, so that scores are calibrated confidences.
     *  0: nearest-question cosine only (faster build). */
    int32_t learn;
    /** Decision settings stored in the index; a negative value (default) keeps the
     *  library's default. Between 0 and 1; suggestion_floor <= answer_threshold. */
    float answer_threshold;
    float ambiguity_margin;
    float suggestion_floor;
    /** Largest number of suggestions, 1..100; 0 or less (default): the library's default (3). */
    int32_t max_suggestions;
    /* Added later. A caller compiled with the earlier struct, which ended at
     * max_suggestions (its `size` says so), gets the defaults of the fields below. */
    /** A `.cbwv` file of static word vectors (scripts/distill_word_vectors.py), or NULL
     *  (default). The engine then embeds every question itself, at build and at match
     *  time: no query vector may be passed to it, and a source with its own question
     *  vectors is refused (CB_ERR_INVALID_ARGUMENT). Read during the call only; the caller
     *  keeps ownership of the string. Errors: CB_ERR_IO (missing or unreadable file),
     *  CB_ERR_INVALID_ARGUMENT (malformed file); the message names the file. */
    const char *word_vectors_path;
    /** Weight of a question's embedding among the learned model's inputs, next to its
     *  TF-IDF vector, when the base has embeddings (the host's question vectors, e.g. the
     *  JSON source's "vector", or the engine's own from `word_vectors_path`). Negative
     *  (default): the library's default, 2 for the host's vectors and 0.5 for word vectors.
     *  With the host's vectors and a scale above 0, every question must then be asked with
     *  its vector (`cb_match_ex`, `cb_match_params.query_vector`); 0 keeps embeddings out of
     *  the model (they only enter the nearest-question cosine) and questions without a
     *  vector are answered. Ignored without embeddings or with learn = 0. At most 100;
     *  NaN or above 100: CB_ERR_INVALID_ARGUMENT. */
    float embedding_scale;
} cb_build_params;

/** Options of `cb_match_with_params`. Start from `cb_match_default_params()`. */
typedef struct cb_match_params {
    /** sizeof(cb_match_params), set by cb_match_default_params(); do not change it. */
    uint32_t size;
    /** Largest number of suggestions, 1..100; 0 or less (default): the index's setting. */
    int32_t max_suggestions;
    /** Number of matches to return, 1..CB_MAX_TOP_K. Default 5. */
    size_t top_k;
    /** Only items of this category are considered; NULL (default): any. */
    const char *category;
    /** The question's own embedding (`query_dim` floats), or NULL (default); see `cb_match_ex`. */
    const float *query_vector;
    size_t query_dim;
    /** Decision settings for this question; a negative value (default) keeps the index's.
     *  Between 0 and 1; suggestion_floor <= answer_threshold once resolved. */
    float answer_threshold;
    float ambiguity_margin;
    float suggestion_floor;
} cb_match_params;

/** How `cb_engine_open_with_params` brings an index file into memory. */
typedef enum cb_open_mode {
    /** Read the file into a private copy and verify every byte before returning (default;
     *  what `cb_engine_open` does). Nothing done to the file afterwards reaches the engine. */
    CB_OPEN_COPY = 0,
    /** Map the file read-only and verify only its layout before returning: opening takes
     *  milliseconds at any size, and every process that maps the file shares one copy of
     *  it in the page cache. The contents (every byte's checksum, every stored id) are
     *  verified the first time they are needed: by `cb_engine_verify`, or else by the first
     *  match, which then takes that much longer. A damaged file fails that call and every
     *  later one with CB_ERR_INVALID_INDEX. Only for files that are replaced by renaming a
     *  complete file over them (as `cb_engine_save` and `chatbot-cli build` do): a file
     *  rewritten in place changes under the engine, and a file truncated in place makes
     *  the process receive SIGBUS when it reads past the new end. */
    CB_OPEN_MAP = 1
} cb_open_mode;

/** Options of `cb_engine_open_with_params`. Start from `cb_open_default_params()`. */
typedef struct cb_open_params {
    /** sizeof(cb_open_params), set by cb_open_default_params(); do not change it. */
    uint32_t size;
    /** A `cb_open_mode`. Default CB_OPEN_COPY. */
    int32_t mode;
    /* Room for later options, left as cb_open_default_params() sets it (zero). It also
     * keeps the struct above 16 bytes, so that it is returned through memory on x86-64
     * and AArch64, as the other option structs are, whatever fields are added later. */
    uint64_t reserved[3];
} cb_open_params;

/* ------------------------------------------------------------------------------------ */
/* Versions, status codes, errors                                                        */

/** The library's version ("0.1.0"). Static string; never NULL. Thread-safe. */
const char *cb_version(void);

/** The C interface version implemented by the loaded library (CB_ABI_VERSION it was
 *  built with). Thread-safe. */
int cb_abi_version(void);

/** A short English description of `status`, e.g. "invalid argument". Static string,
 *  never NULL, also for values outside the enum. Thread-safe. */
const char *cb_status_string(cb_status status);

/** "answer", "suggest" or "fallback"; "unknown" for other values. Static; never NULL. */
const char *cb_decision_string(cb_decision decision);

/** The message of the last failed call on the calling thread, "" after a successful one.
 *  Never NULL. Owned by the library; valid until the next cb_ call on the same thread.
 *  Each thread has its own message. */
const char *cb_last_error(void);

/* ------------------------------------------------------------------------------------ */
/* Engine lifecycle                                                                      */

/** Opens a compiled index file. The engine reads it into a private copy (the file's size in
 *  memory) and verifies every byte against its checksums, so nothing done to the file
 *  afterwards (rewritten in place by `cp`, truncated, deleted) reaches the engine.
 *  On success `*out` receives a new engine, to be released with `cb_engine_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL path or out), CB_ERR_INVALID_UTF8 (path),
 *  CB_ERR_IO (missing or unreadable file, not a regular file, a file that kept changing
 *  while it was read), CB_ERR_INVALID_INDEX (truncated, corrupted, newer format),
 *  CB_ERR_OUT_OF_MEMORY (no memory for the copy). Thread-safe. */
cb_status cb_engine_open(const char *path, cb_engine **out);

/** Default options of `cb_engine_open_with_params`: CB_OPEN_COPY. Thread-safe. */
cb_open_params cb_open_default_params(void);

/** Opens a compiled index file as `params->mode` says (NULL params: the defaults, which is
 *  `cb_engine_open`). The engine remembers its mode: `cb_engine_reload` opens the next file
 *  the same way. On success `*out` receives a new engine, to be released with
 *  `cb_engine_free`. Errors: those of `cb_engine_open`, and CB_ERR_INVALID_ARGUMENT for a
 *  `size` or `mode` this library does not know. With CB_OPEN_MAP, damage in the contents
 *  is reported later, by `cb_engine_verify` or the first match. Thread-safe. */
cb_status cb_engine_open_with_params(const char *path, const cb_open_params *params, cb_engine **out);

/** Verifies the engine's contents if that is still to do (an engine opened with
 *  CB_OPEN_MAP), waiting while another thread does it; returns CB_OK at once for an engine
 *  whose contents are verified. Call it after opening to pay the check before the first
 *  question does. Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid engine),
 *  CB_ERR_INVALID_INDEX (damaged contents: every later match fails the same way).
 *  Thread-safe. */
cb_status cb_engine_verify(const cb_engine *engine);

/** Opens an index held in memory. The `size` bytes at `data` are copied; the caller
 *  keeps ownership of `data` and may free it as soon as the call returns.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL data or out, size 0), CB_ERR_INVALID_INDEX,
 *  CB_ERR_OUT_OF_MEMORY. Thread-safe. */
cb_status cb_engine_open_memory(const void *data, size_t size, cb_engine **out);

/** Compiles a knowledge-base source into a new engine held in memory.
 *  `source_path` is any source `cb_engine_build_with_params` accepts (.xlsx, .ods, .csv,
 *  .tsv, .json); `synonyms_path` is a synonyms file (one group per line, entries separated
 *  by ';') or NULL for none. Source warnings are not reported: use
 *  `cb_engine_build_with_params` for them. Release the engine with `cb_engine_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT, CB_ERR_INVALID_UTF8 (a path), CB_ERR_IO,
 *  CB_ERR_INVALID_SOURCE (malformed source or synonyms; the message names file:line).
 *  Thread-safe; while the call trains the learned model, it runs one thread of its own. */
cb_status cb_engine_build(const char *source_path, const char *synonyms_path, cb_engine **out);

/** Default build options: no synonyms, no small talk, learned model, default thresholds,
 *  no word vectors, default embedding scale. Thread-safe. */
cb_build_params cb_build_default_params(void);

/** Compiles a knowledge-base source into a new engine held in memory, with options.
 *  `source_path`: an Usine à chatbots workbook (.xlsx, .ods, first sheet) or its CSV
 *  export, or the engine's own .csv, .tsv or .json; a file without extension is recognised
 *  by its content. `params` may be NULL for the defaults.
 *  `*diagnostics_out` (when `diagnostics_out` is not NULL) receives the source's errors and
 *  warnings, each with its row: the warnings after a successful build, every error and
 *  warning of the file after CB_ERR_INVALID_SOURCE (so that a user fixes all rows at once),
 *  and NULL after other failures. Release it with `cb_diagnostics_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL source_path or out, a params struct of an unknown
 *  size, a setting out of range, a malformed word-vector file), CB_ERR_INVALID_UTF8 (a
 *  path), CB_ERR_IO (an unreadable source, synonyms or word-vector file),
 *  CB_ERR_INVALID_SOURCE (malformed source, workbook or synonyms; the message names the
 *  first error and how many more there are). Thread-safe; while the call trains the
 *  learned model, it runs one thread of its own. */
cb_status cb_engine_build_with_params(const char *source_path, const cb_build_params *params, cb_engine **out,
                                      cb_diagnostics **diagnostics_out);

/** Number of diagnostics; 0 for NULL or an invalid list. */
size_t cb_diagnostics_count(const cb_diagnostics *diagnostics);

/** Severity of diagnostic `i`; CB_SEVERITY_ERROR for an invalid list or index. */
cb_severity cb_diagnostic_severity(const cb_diagnostics *diagnostics, size_t i);

/** Row of diagnostic `i`: the row number the spreadsheet shows (the line of a text file),
 *  0 when it concerns the whole file, -1 for an invalid list or index. */
int64_t cb_diagnostic_row(const cb_diagnostics *diagnostics, size_t i);

/** Column letter of diagnostic `i` ("A", "G"), "" when not about one cell; NULL when invalid.
 *  The strings of a diagnostic are owned by the list (valid until cb_diagnostics_free). */
const char *cb_diagnostic_column(const cb_diagnostics *diagnostics, size_t i);

/** Stable code of diagnostic `i` (e.g. "missing_id", "no_alternatives"); NULL when invalid. */
const char *cb_diagnostic_code(const cb_diagnostics *diagnostics, size_t i);

/** Message of diagnostic `i`, for people (French for the template's checks); NULL when invalid. */
const char *cb_diagnostic_message(const cb_diagnostics *diagnostics, size_t i);

/** The whole list as a JSON array of
 *    {"severity":"error|warning","file":"…","row":12,"column":"D","code":"…","message":"…"}
 *  (`column` null when not about one cell). Release `*json_out` with `cb_string_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT. Thread-safe. */
cb_status cb_diagnostics_json(const cb_diagnostics *diagnostics, char **json_out);

/** Releases a diagnostics list. NULL is ignored; a pointer that is not a live list (already
 *  freed, of another type, not from this library) is ignored, never read, and reported
 *  through `cb_last_error()`. */
void cb_diagnostics_free(cb_diagnostics *diagnostics);

/** Writes the engine's index to `path` (atomically: a temporary file then a rename),
 *  so that `cb_engine_open` can load it later.
 *  Errors: CB_ERR_INVALID_ARGUMENT, CB_ERR_INVALID_UTF8, CB_ERR_IO. Thread-safe. */
cb_status cb_engine_save(const cb_engine *engine, const char *path);

/** Replaces the index behind `engine` with the index file at `path`, without downtime:
 *  other threads may keep calling cb_match (and every other function but cb_engine_free)
 *  on the same engine during the reload. Calls already running finish on the previous
 *  index, which is freed when the last of them returns; calls that start after the reload
 *  returns use the new one. The new file is opened (the way the engine was opened: copied,
 *  or mapped with CB_OPEN_MAP) and fully verified first, contents included: on any
 *  failure the previous index stays in place and the error says why. Strings returned
 *  by `cb_engine_item_id` belong to the index they came from and are invalid after a
 *  reload. Deployment: build the new index to a temporary file in the same directory,
 *  rename it over the live file (rename is atomic), then reload. Thread-safe.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid engine, NULL path),
 *  CB_ERR_INVALID_UTF8, CB_ERR_IO, CB_ERR_INVALID_INDEX, CB_ERR_OUT_OF_MEMORY. */
cb_status cb_engine_reload(cb_engine *engine, const char *path);

/** Releases an engine. NULL is ignored. A pointer that is not a live engine (already freed,
 *  of another type, not from this library) is ignored, never read, and reported through
 *  `cb_last_error()`. Results obtained from the engine stay valid. Must not race with other
 *  calls using the same engine. */
void cb_engine_free(cb_engine *engine);

/** Number of items in the knowledge base (hidden and expired ones included), through
 *  `*out`. Errors: CB_ERR_INVALID_ARGUMENT. Thread-safe. */
cb_status cb_engine_item_count(const cb_engine *engine, size_t *out);

/** The id of item `index` (0 ≤ index < item count; the indices used by
 *  `cb_match_batch` and `cb_result_item_index`), through `*out`. The string is owned
 *  by the engine and valid until `cb_engine_free` or `cb_engine_reload`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL, bad handle, index out of range). Thread-safe. */
cb_status cb_engine_item_id(const cb_engine *engine, size_t index, const char **out);

/** The item with this id, as JSON:
 *    {"id":"…","category":"…","question":"…"|null,"alternatives":["…"],
 *     "messages":[…],"hidden":false,"expires":"YYYY-MM-DD"|null}
 *  (messages as in `cb_result_reply`). This is how a host follows a button whose target is
 *  an item: no matching is involved. Items without questions (the reserved
 *  `phrase_presentation`, `phrase_hors_sujet`, `phrase_feedback`, and button targets) are
 *  found too. Release `*json_out` with `cb_string_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT, CB_ERR_INVALID_UTF8 (id), CB_ERR_NOT_FOUND (no item
 *  has this id). Thread-safe. */
cb_status cb_engine_item_json(const cb_engine *engine, const char *id, char **json_out);

/** Dimension of the question embeddings stored in the index (0 when it has none),
 *  through `*out`. Errors: CB_ERR_INVALID_ARGUMENT. Thread-safe. */
cb_status cb_engine_embedding_dimension(const cb_engine *engine, size_t *out);

/* ------------------------------------------------------------------------------------ */
/* Matching                                                                              */

/** Answers `question` with up to `top_k` matches (1 ≤ top_k ≤ CB_MAX_TOP_K).
 *  On success `*out` receives a result to release with `cb_result_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL, bad handle, top_k out of range, a question longer
 *  than CB_MAX_QUESTION_BYTES, or an index
 *  whose learned model takes question embeddings as input: use `cb_match_ex` with the
 *  question's vector), CB_ERR_INVALID_UTF8 (question). Thread-safe. */
cb_status cb_match(const cb_engine *engine, const char *question, size_t top_k, cb_result **out);

/** `cb_match` with options: `category` (NULL = any) keeps only items of that category;
 *  `query_vector` (NULL = none) is the question's own embedding of `query_dim` floats,
 *  mixed with the lexical score (the index must hold embeddings of that dimension), or,
 *  when the index's learned model was built with embeddings as input, fed to the model
 *  (the vector is then required).
 *  Errors: as `cb_match`, plus CB_ERR_INVALID_ARGUMENT for a vector of the wrong
 *  dimension, with NaN/infinite values or all zeros, a NULL vector with query_dim > 0,
 *  or any vector given to an index built with word vectors (it embeds questions
 *  itself). Thread-safe. */
cb_status cb_match_ex(const cb_engine *engine, const char *question, size_t top_k,
                      const char *category, const float *query_vector, size_t query_dim,
                      cb_result **out);

/** Options of `cb_anonymizer_new`. Start from `cb_anonymizer_default_params()`. */
typedef struct cb_anonymizer_params {
    /** sizeof(cb_anonymizer_params), set by cb_anonymizer_default_params(); do not change it. */
    uint32_t size;
    /** Number of host patterns in `pattern_names` / `patterns` (default 0). */
    uint32_t pattern_count;
    /** Placeholder names (1–32 of A–Z, 0–9, _; not EMAIL, TELEPHONE, NIR, IBAN or CARTE):
     *  a match of patterns[i] becomes "[pattern_names[i]]". */
    const char *const *pattern_names;
    /** Templates matched on word boundaries: `#` a digit, `@` an ASCII letter, `\` escapes
     *  the next character, anything else itself; e.g. "M######" for an employee number. */
    const char *const *patterns;
} cb_anonymizer_params;

/** Default match options: top 5, any category, no vector, the index's decision settings.
 *  Thread-safe. */
cb_match_params cb_match_default_params(void);

/** Answers `question` with options (`params` NULL: the defaults). The result carries the
 *  reply to send (`cb_result_reply`). Errors: as `cb_match_ex`, plus
 *  CB_ERR_INVALID_ARGUMENT for a params struct of an unknown size or a decision setting out
 *  of range. Thread-safe. */
cb_status cb_match_with_params(const cb_engine *engine, const char *question, const cb_match_params *params,
                               cb_result **out);

/** `cb_match_with_params` as JSON (see `cb_match_json`). Release `*json_out` with
 *  `cb_string_free`. Errors: as `cb_match_with_params`. Thread-safe. */
cb_status cb_match_json_with_params(const cb_engine *engine, const char *question, const cb_match_params *params,
                                    char **json_out);

/** The same as `cb_match`, as a JSON object:
 *    {"decision":"answer|suggest|fallback","suggestions":N,
 *     "matches":[{"id":"…","score":0.93,"question":"…","answer":"…","category":"…"}, …],
 *     "suggested":[0, 2],"reply":[…],"question":"…"}
 *  `suggested` holds the positions in `matches` of the items to offer, `reply` the
 *  messages to send (see `cb_result_reply`) and `question` the question asked. The same
 *  object as `chatbot-cli ask --json` and the bindings (README, "The match object").
 *  `*json_out` receives a NUL-terminated UTF-8 string to release with `cb_string_free`.
 *  Errors: as `cb_match`. Thread-safe. */
cb_status cb_match_json(const cb_engine *engine, const char *question, size_t top_k, char **json_out);

/** Matches `n` questions into caller-owned arrays, without allocating per question:
 *    item_indices[i*top_k + j]  index of the j-th match of question i, -1 when fewer
 *                               than top_k items matched (map with cb_engine_item_id);
 *    scores[i*top_k + j]        its score, 0 in padded slots;
 *    decisions[i]               a cb_decision value.
 *  Every pointer must be non-NULL (also when n == 0). On error the arrays' contents are
 *  unspecified; the message names the failing question. Results equal `cb_match`'s.
 *  Errors: as `cb_match`, plus CB_ERR_INVALID_ARGUMENT for a NULL question or when
 *  n*top_k overflows. Thread-safe. */
cb_status cb_match_batch(const cb_engine *engine, const char *const *questions, size_t n, size_t top_k,
                         int32_t *item_indices, float *scores, int32_t *decisions);

/* ------------------------------------------------------------------------------------ */
/* Results. Accessors never fail loudly: on a NULL/invalid result or an out-of-range     */
/* index they return the documented neutral value and set cb_last_error().               */

/** Number of matches (0 … top_k); 0 for an invalid result. */
size_t cb_result_count(const cb_result *result);

/** The decision; CB_DECISION_FALLBACK for an invalid result. */
cb_decision cb_result_decision(const cb_result *result);

/** How many items to offer: 1 for an answer, 1 … max suggestions for a suggestion, and for
 *  a fallback the items offered next to the fallback message (usually 0); 0 for an invalid
 *  result. Reserved (`phrase_*`) and small-talk (`st_*`) items are never offered, so in a
 *  base that has them the offered items are not always the first ones: use
 *  `cb_result_suggestion`. */
size_t cb_result_suggestion_count(const cb_result *result);

/** Position in the matches (for `cb_result_id` etc.) of the i-th item to offer,
 *  0 <= i < cb_result_suggestion_count(); -1 when invalid. */
int32_t cb_result_suggestion(const cb_result *result, size_t i);

/** The messages to send for this result, in order, as a JSON array:
 *    {"type":"text","text":"…"}   {"type":"image","url":"…"}
 *    {"type":"buttons"|"quick_replies","buttons":[{"title":"…","url":"…"}|{"title":"…","item":"id"}]}
 *  answer: the item's messages; suggest: a short French text and one button per item to
 *  offer (title: its main question, target: its id); fallback: the base's
 *  `phrase_hors_sujet` messages (or a default French text), then suggestion buttons when
 *  items passed the suggestion floor. An `item` button is followed with
 *  `cb_engine_item_json`. NULL for an invalid result. Owned by the result. */
const char *cb_result_reply(const cb_result *result);

/** Id of match `i`; NULL when invalid. Owned by the result (valid until cb_result_free). */
const char *cb_result_id(const cb_result *result, size_t i);

/** Position of match `i`'s item in the knowledge base; -1 when invalid. */
int32_t cb_result_item_index(const cb_result *result, size_t i);

/** Score of match `i`, in [0, 1]; -1 when invalid. */
float cb_result_score(const cb_result *result, size_t i);

/** The item's question that matched best; NULL when invalid. Owned by the result. */
const char *cb_result_question(const cb_result *result, size_t i);

/** The item's answer ("" when the base has none); NULL when invalid. Owned by the result. */
const char *cb_result_answer(const cb_result *result, size_t i);

/** The item's category ("" when none); NULL when invalid. Owned by the result. */
const char *cb_result_category(const cb_result *result, size_t i);

/** Releases a result and its strings. NULL is ignored; a pointer that is not a live result
 *  (already freed, of another type, not from this library) is ignored, never read, and
 *  reported through `cb_last_error()`. */
void cb_result_free(cb_result *result);

/* ------------------------------------------------------------------------------------ */
/* Anonymiser                                                                            */

/** Default anonymiser options: the built-in kinds only. Thread-safe. */
cb_anonymizer_params cb_anonymizer_default_params(void);

/** Makes an anonymiser with the built-in kinds — e-mail addresses `[EMAIL]`, French phone
 *  numbers `[TELEPHONE]`, NIR with a valid key `[NIR]`, IBAN passing mod-97 `[IBAN]`,
 *  Luhn-valid card numbers `[CARTE]` — plus the host's patterns. Dates, amounts, times,
 *  postal codes, decree numbers and numbers failing their check digits are left alone.
 *  `params` NULL: the defaults. Release `*out` with `cb_anonymizer_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL out, a params struct of an unknown size, NULL
 *  arrays with pattern_count > 0, an invalid name or pattern: the message names it),
 *  CB_ERR_INVALID_UTF8. Thread-safe. */
cb_status cb_anonymizer_new(const cb_anonymizer_params *params, cb_anonymizer **out);

/** `text` with personal data replaced by placeholders. `anonymizer` NULL uses the built-in
 *  kinds only. Release `*text_out` with `cb_string_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT, CB_ERR_INVALID_UTF8. Thread-safe. */
cb_status cb_anonymize(const cb_anonymizer *anonymizer, const char *text, char **text_out);

/** As `cb_anonymize`, with what was masked, as JSON:
 *    {"text":"…","redactions":[{"kind":"EMAIL","start":12,"end":31}, …]}
 *  `start`/`end` are UTF-8 byte offsets into the original `text`. Release `*json_out` with
 *  `cb_string_free`. Errors: as `cb_anonymize`. Thread-safe. */
cb_status cb_anonymize_json(const cb_anonymizer *anonymizer, const char *text, char **json_out);

/** Releases an anonymiser. NULL is ignored; a pointer that is not a live anonymiser (already
 *  freed, of another type, not from this library) is ignored, never read, and reported
 *  through `cb_last_error()`. */
void cb_anonymizer_free(cb_anonymizer *anonymizer);

/* ------------------------------------------------------------------------------------ */
/* Question log, statistics and review inbox                                             */
/*                                                                                      */
/* A question log is one SQLite file (WAL mode) holding every question, click and        */
/* welcome a bot handled, with its decision, matches and reply; the users' feedback; and */
/* the review inbox — or one PostgreSQL database shared by several app servers, when   */
/* its location is a `postgresql://` URI (libpq is then loaded at run time; see README, */
/* "Several app servers, one PostgreSQL log"). The functions are the same for both.     */
/* It is what `chatbot-cli stats` and `chatbot-cli inbox` read,                         */
/* and the JSON of `cb_log_stats_json` / `cb_log_inbox_json` is theirs (`--json`).       */
/* One `cb_log` may be shared by any number of threads (every function but              */
/* `cb_log_free` is thread-safe), and several processes may open the same file.         */

/** An open question log. Shareable between threads; release with `cb_log_free`. */
typedef struct cb_log cb_log;

/** How a logged entry reached the bot. Only typed questions count in the answer rate. */
typedef enum cb_log_kind {
    /** Typed by a user. */
    CB_LOG_KIND_QUESTION = 0,
    /** A click on a button (its target item was sent). */
    CB_LOG_KIND_CLICK = 1,
    /** The welcome message sent when a conversation starts. */
    CB_LOG_KIND_WELCOME = 2
} cb_log_kind;

/** The user's opinion of a reply (`cb_log_feedback`). */
typedef enum cb_feedback {
    CB_FEEDBACK_RELEVANT = 0,
    CB_FEEDBACK_WRONG = 1,
    CB_FEEDBACK_OFF_TOPIC = 2
} cb_feedback;

/** Review actions of the inbox (`cb_log_review`). */
typedef enum cb_review_action {
    /** The question is to become an alternative question of `item` (NULL: its best item). */
    CB_REVIEW_ACCEPT = 0,
    /** … of another item, `item` (required). */
    CB_REVIEW_RELINK = 1,
    /** … an out-of-scope example (a question of `phrase_hors_sujet`); `item` must be NULL. */
    CB_REVIEW_OUT_OF_SCOPE = 2,
    /** Looked at, nothing to change; `item` must be NULL. */
    CB_REVIEW_ARCHIVE = 3
} cb_review_action;

/** Options of `cb_log_open`. Start from `cb_log_default_params()`. */
typedef struct cb_log_params {
    /** sizeof(cb_log_params), set by cb_log_default_params(); do not change it. */
    uint32_t size;
    /** Non-zero: open an existing log for reading only (statistics, inbox list); recording,
     *  feedback, review and purge then fail with CB_ERR_INVALID_ARGUMENT. Default 0. */
    int32_t read_only;
    /** Largest number of rows waiting to be written by the background writer; 0 (default):
     *  10,000. When the queue is full, `cb_log_record` drops the row and counts it. */
    size_t queue_capacity;
    /** Matches stored per row (best first), 1..100; 0 (default): 5. */
    uint32_t max_matches;
} cb_log_params;

/** Options of `cb_log_record`. Start from `cb_log_default_record_params()`. */
typedef struct cb_log_record_params {
    /** sizeof(cb_log_record_params), set by cb_log_default_record_params(); do not change it. */
    uint32_t size;
    /** How the entry reached the bot. Default CB_LOG_KIND_QUESTION. */
    cb_log_kind kind;
    /** Opaque id of the conversation, from the host; NULL (default): "". */
    const char *conversation;
    /** The channel (e.g. "web", "teams"); NULL (default): none. */
    const char *channel;
    /** Time taken to answer, in microseconds; negative (default -1): unknown, stored as 0. */
    int64_t latency_us;
    /** Which knowledge base answered (e.g. the index file's name and date); NULL (default): "". */
    const char *kb_version;
    /** When the question was asked, UTC milliseconds since 1970; 0 (default): now. */
    int64_t time_ms;
    /** NULL (default): the row is queued and written in the background. Non-NULL: the row
     *  is written before the call returns (about 0.1 ms, one transaction) and its id is
     *  stored here, so that the host can attach feedback (`cb_log_feedback`) right after
     *  sending the reply; -1 is stored when the row could not be written. On a PostgreSQL
     *  log the call may wait for the server, at most about 5 s when it stalls. */
    int64_t *id_out;
} cb_log_record_params;

/** Options of `cb_log_stats_json`. Start from `cb_stats_default_params()`. */
typedef struct cb_stats_params {
    /** sizeof(cb_stats_params), set by cb_stats_default_params(); do not change it. */
    uint32_t size;
    /** Non-zero (default): the series is by week (weeks start on Monday, UTC); 0: by day. */
    int32_t by_week;
    /** Rows with since_ms <= time < until_ms are counted (UTC milliseconds since 1970);
     *  0 (default) leaves that bound open. */
    int64_t since_ms;
    int64_t until_ms;
    /** The current knowledge base, or NULL (default): with it, `never_asked` lists its items
     *  never asked (small talk and reserved items left out); without it, it is null. */
    const cb_engine *engine;
    /** Length of the most-asked and top-fallback lists, 1..1000; 0 (default): 10. */
    uint32_t top;
} cb_stats_params;

/** Default log options: read-write, a queue of 10,000 rows. Thread-safe. */
cb_log_params cb_log_default_params(void);

/** Default record options: a typed question, no conversation or channel, unknown
 *  latency, no knowledge-base version, now. Thread-safe. */
cb_log_record_params cb_log_default_record_params(void);

/** Default statistics options: all rows, by week, no engine, top 10. Thread-safe. */
cb_stats_params cb_stats_default_params(void);

/** Opens the question log at `path`, creating it (or upgrading its schema) unless
 *  `params->read_only` is set; `params` NULL: the defaults. `path` is a file (SQLite) or a
 *  `postgresql://` / `postgres://` URI in libpq's syntax (its environment variables and
 *  service files apply; a password in it never appears in a message). A log opened for
 *  writing starts one background thread that writes queued rows in batches. Release `*out`
 *  with `cb_log_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL path or out, a params struct of an unknown size),
 *  CB_ERR_INVALID_UTF8 (path), CB_ERR_IO (the file cannot be opened or created — the
 *  message is SQLite's —, the server cannot be reached — the message is libpq's —, libpq
 *  is not installed for a postgresql:// location, the database is not a question log, or
 *  was written by a newer libchatbot whose schema this one cannot read: the message says
 *  so). May wait up to libpq's connect_timeout (2 s unless the URI sets it). Thread-safe. */
cb_status cb_log_open(const char *path, const cb_log_params *params, cb_log **out);

/** Writes what is queued (see `cb_log_flush`), stops the writer thread and closes the
 *  file. With a PostgreSQL server unreachable, waits at most 5 s for it; rows still queued
 *  then are lost. NULL is ignored; a pointer that is not a live log (already freed, of another type,
 *  not from this library) is ignored, never read, and reported through `cb_last_error()`.
 *  Must not race with other calls on `log`. */
void cb_log_free(cb_log *log);

/** Queues one row for `question` as answered by `result` (its decision, its first
 *  `max_matches` matches with their scores, the best item's category, the reply JSON) and returns at
 *  once: the background thread writes it, so recording never waits for the disk. Personal
 *  data in the question (e-mail, phone, NIR, IBAN, card: the built-in kinds of
 *  `cb_anonymize`) is masked before it is stored. When the queue is full the row is
 *  dropped and counted (`cb_log_dropped`), and CB_OK is still returned: logging never
 *  fails a conversation. `params` NULL: the defaults. A queued row gets its id when it is
 *  written (`cb_log_inbox_json` shows it); with `params.id_out` the row is written at once
 *  and its id returned, for feedback right after the reply.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log or result, NULL question, a params
 *  struct of an unknown size, a kind outside cb_log_kind, a read-only log),
 *  CB_ERR_INVALID_UTF8 (question or a params string). Thread-safe. */
cb_status cb_log_record(cb_log *log, const char *question, const cb_result *result,
                        const cb_log_record_params *params);

/** As `cb_log_record`, from the JSON of `cb_match_json` instead of a `cb_result` (for hosts,
 *  such as the bindings, that keep the JSON or copied the result): its "decision",
 *  "matches" ("id", "score", "category") and "reply" are used; other members are ignored.
 *  Errors: as `cb_log_record`, plus CB_ERR_INVALID_ARGUMENT for JSON that is not such an
 *  object (the message says what is wrong). Thread-safe. */
cb_status cb_log_record_json(cb_log *log, const char *question, const char *match_json,
                             const cb_log_record_params *params);

/** Waits until every row queued so far is written. Returns CB_ERR_IO, with the first
 *  error's message, when rows could not be written since the previous flush (full disk, a
 *  lock held longer than the 5 s busy timeout…): they are lost and counted apart from the
 *  dropped ones. Never waits for an unreachable PostgreSQL server: returns CB_ERR_IO
 *  ("N rows are waiting for …") at once; those rows stay queued and are written, once each,
 *  when it returns. A read-only log has nothing to flush.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log), CB_ERR_IO. Thread-safe. */
cb_status cb_log_flush(cb_log *log);

/** Number of rows dropped since `cb_log_open` because the queue was full, through `*out`.
 *  Errors: CB_ERR_INVALID_ARGUMENT. Thread-safe. */
cb_status cb_log_dropped(const cb_log *log, size_t *out);

/** Attaches the user's feedback to logged question `question_id` (a second call replaces
 *  it; the same value again changes nothing).
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log, a feedback outside cb_feedback, a
 *  read-only log), CB_ERR_NOT_FOUND (no logged question has this id), CB_ERR_IO.
 *  Thread-safe. */
cb_status cb_log_feedback(cb_log *log, int64_t question_id, cb_feedback feedback);

/** Reviews logged question `id` (see cb_review_action; the same as `chatbot-cli inbox`).
 *  Idempotent: repeating an action changes nothing and returns CB_OK.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log, an action outside
 *  cb_review_action, a missing or unexpected `item`, accepting a question without a best
 *  item, reviewing a purged question or a click, a read-only log), CB_ERR_INVALID_UTF8
 *  (item), CB_ERR_NOT_FOUND (no logged question has this id), CB_ERR_IO. Thread-safe. */
cb_status cb_log_review(cb_log *log, int64_t id, cb_review_action action, const char *item);

/** The statistics of the log as JSON, the object `chatbot-cli stats --json` prints:
 *    {"since":…,"until":…,"questions":N,"answered":N,"suggested":N,"fallbacks":N,
 *     "answer_rate":0.5,"suggest_rate":…,"fallback_rate":…,"clicks":N,"welcomes":N,
 *     "conversations":N,"feedback":{"relevant":N,"wrong":N,"off_topic":N,"total":N},
 *     "answered_precision":…|null,"p50_latency_us":N,"p99_latency_us":N,
 *     "most_asked_items":[{"id":"…","count":N}],"most_asked_categories":[{"category":…}],
 *     "never_asked":[…]|null,"top_fallbacks":[{"question":…,"normalized":…,"count":N}],
 *     "by":"week|day","series":[{"start":"YYYY-MM-DD","questions":N,…,"answer_rate":…}]}
 *  The answer rate is answered typed questions / typed questions (clicks and welcome
 *  messages are counted apart). Rows still queued are not counted: `cb_log_flush` first.
 *  `params` NULL: the defaults. Release `*json_out` with `cb_string_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log or engine, a params struct of an
 *  unknown size, since_ms >= until_ms when both are given, top out of range), CB_ERR_IO.
 *  Thread-safe. */
cb_status cb_log_stats_json(cb_log *log, const cb_stats_params *params, char **json_out);

/** The review inbox as JSON, the array `chatbot-cli inbox LOG list --json` prints: typed
 *  questions not reviewed yet, newest first, at most `limit`, of `band` ("confirmed":
 *  answered with confidence >= 0.95; "to_verify": answered below, or suggestions;
 *  "pending": fallbacks; NULL: all), each
 *    {"id":N,"time":"…Z","time_ms":N,"conversation":"…","channel":…,"kind":"question",
 *     "question":"…","decision":"…","band":"…","best_item":…,"confidence":…,
 *     "category":…,"matches":[{"id","score"}],"latency_us":N,"kb_version":"…",
 *     "status":"new","target_item":null,"feedback":…,"applied":false}
 *  Release `*json_out` with `cb_string_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log, an unknown band),
 *  CB_ERR_INVALID_UTF8 (band), CB_ERR_IO. Thread-safe. */
cb_status cb_log_inbox_json(cb_log *log, const char *band, size_t limit, char **json_out);

/** Blanks the question and reply texts of rows older than `days` days (retention), keeping
 *  what statistics count: decisions, items, latencies, feedback, review status. The number
 *  of rows blanked goes to `*purged_out` when it is not NULL.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log, negative days, a read-only log),
 *  CB_ERR_IO. Thread-safe. */
cb_status cb_log_purge(cb_log *log, int days, size_t *purged_out);

/** Applies the reviewed questions of the log to the knowledge-base source they came from
 *  (the same as `chatbot-cli inbox LOG apply SOURCE [--index INDEX]`): every accepted,
 *  relinked and out-of-scope question not applied yet becomes an alternative question of its
 *  item in `source_path` (.xlsx, template or engine .csv, .tsv, .json; out-of-scope ones go
 *  to `phrase_hors_sujet`, created when missing). The previous file is first copied to
 *  `SOURCE.bak-YYYYMMDD-HHMMSS` (UTC), then the source is rewritten in its own format by
 *  temporary file + rename. The questions now in the source are marked applied in the log,
 *  so applying again adds nothing (and writes nothing). A question whose item the source
 *  does not have is left in the log, not applied.
 *  `index_path` (NULL: no rebuild): when the source changed, the index is rebuilt from it
 *  with the settings stored in the index there (synonyms, options, decision settings,
 *  small-talk pack), warm-started from it, written to a temporary file in the same
 *  directory and renamed over `index_path`; a process serving that index calls
 *  `cb_engine_reload(engine, index_path)` to answer from it. An index path that does not
 *  exist yet gets a cold build with the defaults.
 *  `report_json` (may be NULL) receives, on success, the report to release with
 *  `cb_string_free`:
 *    {"applied":N,"added":[Q…],"skipped":[Q…],"pending":[Q…],
 *     "warnings":[{"id":N,"item":"…","question":"…","other_item":"…"}],
 *     "created_fallback_item":false,"source":"…","backup":"…"|null,"marked":N,
 *     "index":"…"|null,"items":N|null,"questions":N|null,"warm_start":true|null,
 *     "rebuild_ms":12.5|null}
 *  where Q is {"id":N,"item":"…","question":"…"} (id: the log's row id); "added" were written
 *  ("applied" is their number), "skipped" were already questions of their item (marked
 *  applied too), "pending" name an item the source does not have; "index" is null when no
 *  rebuild happened. It is NULL after a failure.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL or invalid log, NULL source_path, a read-only log,
 *  a source that is a compiled index or in a format that cannot be written back — `.ods`:
 *  export it to .xlsx with `cb_export_template` and maintain that file —, an index_path that
 *  is the source itself, or an existing file that is not a compiled index, or an index that
 *  holds question embeddings), CB_ERR_INVALID_UTF8 (paths), CB_ERR_INVALID_SOURCE (the
 *  source does not read: the message is its first error), CB_ERR_IO (reading or writing a
 *  file, the log), CB_ERR_INVALID_INDEX (the previous index does not open). A failure of
 *  the rebuild comes after the source was written and its questions marked applied: build
 *  the index again from the source. Thread-safe: calls are serialised within the process;
 *  do not apply to the same source from two processes at once. */
cb_status cb_log_apply(cb_log *log, const char *source_path, const char *index_path, char **report_json);

/* ------------------------------------------------------------------------------------ */
/* Template export                                                                       */

/** Writes a knowledge base — a compiled index, or any source `cb_engine_build_with_params`
 *  reads — as the Usine à chatbots template at `output_path`: a workbook when it ends in
 *  `.xlsx`, the template's CSV export (UTF-8 with a BOM, `;`) when it ends in `.csv` (the same
 *  as `chatbot-cli export`). Every item with its category, questions, messages and expiry;
 *  hidden flags, attributes and vectors have no column in the template. The file is written
 *  to a temporary file and renamed. An existing `output_path` is replaced only when
 *  `overwrite` is non-zero, and never when it is the input itself or a compiled index.
 *  Errors: CB_ERR_INVALID_ARGUMENT (NULL path, an output that is neither .xlsx nor .csv, an
 *  existing output without `overwrite`, the input itself, a compiled index),
 *  CB_ERR_INVALID_UTF8 (paths), CB_ERR_INVALID_SOURCE (the source does not read),
 *  CB_ERR_INVALID_INDEX (the index does not open), CB_ERR_IO. Thread-safe. */
cb_status cb_export_template(const char *source_or_index_path, const char *output_path, int overwrite);

/* ------------------------------------------------------------------------------------ */
/* Analysis                                                                              */

/** How the engine reads `text`, as a JSON object:
 *    {"tokens":[{"text":"congés","start":3,"end":10,"kind":"word","stem":"congé",
 *                "term":"conge","folded":"conges","stop":false}, …],
 *     "terms":["conge", …]}
 *  `start`/`end` are byte offsets into `text`; `folded` is the token without accents;
 *  `stop` flags Snowball stop words; `terms`
 *  are the word terms the engine indexes, after synonyms are applied (stop words are
 *  kept unless the index was built with --remove-stop-words). Release `*json_out` with
 *  `cb_string_free`.
 *  Errors: CB_ERR_INVALID_ARGUMENT, CB_ERR_INVALID_UTF8. Thread-safe. */
cb_status cb_analyze_json(const cb_engine *engine, const char *text, char **json_out);

/** Releases a string returned by this library (`cb_match_json`, `cb_analyze_json`,
 *  `cb_engine_item_json`, `cb_diagnostics_json`, `cb_log_stats_json`, …).
 *  NULL is ignored; a string already freed, or one the library did not hand out for this
 *  function (strings owned by a result or an engine, the host's own), is ignored, never
 *  read, and reported through `cb_last_error()`. Thread-safe. */
void cb_string_free(char *string);

#ifdef __cplusplus
}
#endif

#endif /* CHATBOT_H */
