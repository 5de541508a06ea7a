<?php

declare(strict_types=1);

namespace Chatbot;

use FFI;
use FFI\CData;

/**
 * A compiled knowledge base: questions with their answers, over libchatbot's `cb_engine`.
 *
 * Create one with Engine::open() (an index file), Engine::fromBytes() (an index in
 * memory) or Engine::build() (a .tsv/.csv/.json source). Every error, including an
 * argument of the wrong type, is a ChatbotException: arguments are declared `mixed` and
 * checked here, because a PHP TypeError would escape the binding's exception hierarchy.
 * close() is idempotent and also runs when the object is destroyed.
 */
final class Engine
{
    use OwnsCHandle;
    use CStrings;

    /** Largest top_k accepted (CB_MAX_TOP_K). */
    public const MAX_TOP_K = 1000;
    /** Largest embedding scale (build()) the library accepts. */
    public const MAX_EMBEDDING_SCALE = 100.0;

    private ?CData $handle;
    /** @var list<string>|null item ids, read once per index (reload() drops them) */
    private ?array $ids = null;
    /** @var list<Diagnostic> warnings of the source (build()) */
    private array $buildDiagnostics = [];

    private function __construct(private readonly FFI $ffi, CData $handle)
    {
        $this->handle = $handle;
    }

    /** The version of the loaded libchatbot ("0.1.0"). */
    public static function version(): string
    {
        return Library::ffi()->cb_version();
    }

    // ------------------------------------------------------------------ creation

    /**
     * Opens an index file written by save() or `chatbot-cli build`.
     *
     * By default the file is read into a private copy and checksum-verified: later
     * changes to the file do not affect the engine. With `$mapped = true` the file is
     * mapped instead (CB_OPEN_MAP): opening takes milliseconds at any size, every PHP-FPM
     * worker mapping the file shares its memory, and the contents are verified the first
     * time they are needed (verify(), or the first match, which then throws
     * InvalidIndexException for a damaged file). Only for files replaced by renaming a
     * complete file over them, as save() and `chatbot-cli build` do: truncating a mapped
     * file in place kills the process (SIGBUS). reload() keeps the way of opening.
     *
     * @param string|\Stringable $path
     * @throws IOException when the file is missing or unreadable
     * @throws InvalidIndexException when it is truncated, corrupted or too new
     */
    public static function open(mixed $path, bool $mapped = false): self
    {
        $path = self::path($path, 'path');
        $ffi = Library::ffi();
        $out = $ffi->new('cb_engine*');
        $params = $ffi->cb_open_default_params();
        $params->mode = $mapped ? 1 : 0; // CB_OPEN_MAP : CB_OPEN_COPY
        $status = $ffi->cb_engine_open_with_params($path, FFI::addr($params), FFI::addr($out));
        if ($status !== 0) {
            throw self::failure($ffi, $status);
        }
        return new self($ffi, $out);
    }

    /**
     * Opens an index held in memory (the bytes of an index file; they are copied).
     *
     * @param string $data
     * @throws InvalidIndexException|InvalidArgumentException (empty data)
     */
    public static function fromBytes(mixed $data): self
    {
        if (!is_string($data)) {
            throw new InvalidArgumentException('data must be a string of bytes, not ' . get_debug_type($data), 1);
        }
        $ffi = Library::ffi();
        $out = $ffi->new('cb_engine*');
        $status = $ffi->cb_engine_open_memory($data, strlen($data), FFI::addr($out));
        if ($status !== 0) {
            throw self::failure($ffi, $status);
        }
        return new self($ffi, $out);
    }

    /**
     * Compiles a knowledge-base source into an engine held in memory.
     *
     * $source: an Usine à chatbots workbook (.xlsx, .ods) or its CSV export, or the engine's
     * own .csv, .tsv or .json. $synonyms: a synonyms file (one group per line, entries
     * separated by ';'). $smallTalk: merge the built-in French small-talk pack (st_* items).
     * $learn = false: nearest-question cosine only (faster build, uncalibrated scores). The
     * decision settings (between 0 and 1, suggestionFloor <= answerThreshold; maxSuggestions
     * 1..100) are stored in the index; null keeps the library's defaults.
     *
     * $wordVectors: a `.cbwv` file of static word vectors; the engine then embeds every
     * question itself (match() then refuses a vector; a source with its own question
     * vectors is refused). $embeddingScale (0..100): weight of the question embeddings among
     * the learned model's inputs; null: the library's default (2 for the source's own
     * vectors, 0.5 for word vectors). With the source's vectors (JSON "vector") and a scale
     * above 0, every question must then be asked with its vector; 0 keeps them only in the
     * nearest-question cosine, and questions without a vector are answered.
     *
     * The source's warnings are returned by buildDiagnostics(). Use named arguments:
     * `Engine::build($path, smallTalk: true, answerThreshold: 0.7)`.
     *
     * @param string|\Stringable $source
     * @param string|\Stringable|null $synonyms
     * @param bool $smallTalk
     * @param bool $learn
     * @param float|int|null $answerThreshold
     * @param float|int|null $ambiguityMargin
     * @param float|int|null $suggestionFloor
     * @param int|null $maxSuggestions
     * @param string|\Stringable|null $wordVectors
     * @param float|int|null $embeddingScale
     * @throws IOException (also a missing or unreadable word-vector file)
     * @throws InvalidArgumentException (a setting out of range, a malformed word-vector file)
     * @throws InvalidSourceException for a refused source; its getDiagnostics() lists every
     *         error and warning of the file, each with its row
     */
    public static function build(mixed $source, mixed $synonyms = null, mixed $smallTalk = false, mixed $learn = true,
        mixed $answerThreshold = null, mixed $ambiguityMargin = null, mixed $suggestionFloor = null,
        mixed $maxSuggestions = null, mixed $wordVectors = null, mixed $embeddingScale = null): self
    {
        $source = self::path($source, 'source');
        $synonyms = $synonyms === null ? null : self::path($synonyms, 'synonyms');
        $wordVectors = $wordVectors === null ? null : self::path($wordVectors, 'wordVectors');
        $scale = self::embeddingScale($embeddingScale);
        $ffi = Library::ffi();
        $params = $ffi->cb_build_default_params();
        $params->synonyms_path = $synonyms === null ? null : self::cString($ffi, $synonyms, $keep);
        $params->word_vectors_path = $wordVectors === null ? null : self::cString($ffi, $wordVectors, $keepWordVectors);
        $params->embedding_scale = $scale;
        $params->small_talk = self::flag($smallTalk, 'smallTalk') ? 1 : 0;
        $params->learn = self::flag($learn, 'learn') ? 1 : 0;
        $params->answer_threshold = self::setting($answerThreshold, 'answerThreshold');
        $params->ambiguity_margin = self::setting($ambiguityMargin, 'ambiguityMargin');
        $params->suggestion_floor = self::setting($suggestionFloor, 'suggestionFloor');
        $params->max_suggestions = self::maxSuggestions($maxSuggestions);
        $out = $ffi->new('cb_engine*');
        $diagnostics = $ffi->new('cb_diagnostics*');
        $status = $ffi->cb_engine_build_with_params($source, FFI::addr($params), FFI::addr($out), FFI::addr($diagnostics));
        $message = $status !== 0 ? $ffi->cb_last_error() : '';
        try {
            $read = self::readDiagnostics($ffi, $diagnostics);
        } finally {
            $ffi->cb_diagnostics_free($diagnostics);
        }
        if ($status === InvalidSourceException::STATUS) {
            throw new InvalidSourceException($message, $status, null, $read);
        }
        if ($status !== 0) {
            throw ChatbotException::forStatus($status, $message);
        }
        $engine = new self($ffi, $out);
        $engine->buildDiagnostics = $read;
        return $engine;
    }

    /**
     * The warnings of the source this engine was built from (build()), in row order;
     * empty for an engine opened from an index.
     *
     * @return list<Diagnostic>
     */
    public function buildDiagnostics(): array
    {
        return $this->buildDiagnostics;
    }

    // ------------------------------------------------------------------ lifetime

    private function freeHandle(CData $handle): void
    {
        $this->ffi->cb_engine_free($handle);
    }

    /**
     * Replaces this engine's index with the index file at $path, without downtime: the
     * file is opened and fully verified first; on any failure the previous index stays
     * and the exception says why. Other threads (ZTS, parallel) may keep matching
     * meanwhile. Deployment: build the new index to a temporary file in the same
     * directory, rename() it over the live file (atomic), then reload the live path.
     *
     * @param string|\Stringable $path
     * @throws IOException when the file is missing or unreadable
     * @throws InvalidIndexException when it is truncated, corrupted or too new
     * @throws ClosedEngineException
     */
    public function reload(mixed $path): void
    {
        $path = self::path($path, 'path');
        $handle = $this->live();
        // Ids read from the previous index (itemIds()) are stale whatever the outcome
        // could be; dropping them costs one re-read.
        $this->ids = null;
        $this->check($this->ffi->cb_engine_reload($handle, $path));
    }

    // ------------------------------------------------------------------ properties

    /**
     * Writes a knowledge base — a compiled index, or any source build() reads — as the Usine à
     * chatbots template at $output: a workbook for `.xlsx`, the template's CSV export for
     * `.csv` (what `chatbot-cli export` writes). An existing $output is replaced only with
     * $overwrite, and never when it is $source itself or a compiled index.
     *
     * @param string|\Stringable $source
     * @param string|\Stringable $output
     * @throws InvalidArgumentException another extension, an existing output, the input itself
     * @throws InvalidSourceException|InvalidIndexException|IOException
     */
    public static function exportTemplate(mixed $source, mixed $output, bool $overwrite = false): void
    {
        $source = self::path($source, 'source');
        $output = self::path($output, 'output');
        $ffi = Library::ffi();
        $status = $ffi->cb_export_template($source, $output, $overwrite ? 1 : 0);
        if ($status !== 0) {
            throw self::failure($ffi, $status);
        }
    }

    /** Number of items in the knowledge base (hidden and expired ones included). */
    public function itemCount(): int
    {
        $out = $this->ffi->new('size_t');
        $this->check($this->ffi->cb_engine_item_count($this->live(), FFI::addr($out)));
        return $out->cdata;
    }

    /** Dimension of the question embeddings stored in the index (0 when none). */
    public function embeddingDimension(): int
    {
        $out = $this->ffi->new('size_t');
        $this->check($this->ffi->cb_engine_embedding_dimension($this->live(), FFI::addr($out)));
        return $out->cdata;
    }

    /** The id of item $index (0 ≤ index < itemCount()), as in MatchedItem::$itemIndex. */
    public function itemId(mixed $index): string
    {
        if (!is_int($index)) {
            throw new InvalidArgumentException('index must be an int, not ' . get_debug_type($index), 1);
        }
        if ($index < 0) {
            throw new InvalidArgumentException("index must not be negative, got $index", 1);
        }
        $out = $this->ffi->new('const char*');
        $this->check($this->ffi->cb_engine_item_id($this->live(), $index, FFI::addr($out)));
        return FFI::string($out);
    }

    /** @return list<string> every item id, in item-index order */
    public function itemIds(): array
    {
        if ($this->ids === null) {
            $ids = [];
            for ($i = 0, $n = $this->itemCount(); $i < $n; $i++) {
                $ids[] = $this->itemId($i);
            }
            $this->ids = $ids;
        }
        $this->live();
        return $this->ids;
    }

    /**
     * The item with this id, found directly (no matching): how a host follows a button
     * whose target is an item (Button::$item). Items without questions (the reserved
     * phrase_* items, button targets) are found too.
     *
     * @param string $id
     * @throws NotFoundException when no item has this id
     */
    public function item(mixed $id): Item
    {
        $id = self::text($id, 'id');
        $out = $this->ffi->new('char*');
        $this->check($this->ffi->cb_engine_item_json($this->live(), $id, FFI::addr($out)));
        $raw = $this->takeJson($out);
        return Item::fromArray($raw);
    }

    // ------------------------------------------------------------------ matching

    /**
     * Answers $question with up to $topK matches (1 ≤ topK ≤ 1000), best first, with the
     * reply to send (MatchResult::$reply) and the matches to offer (MatchResult::$suggested).
     * Use named arguments for the options: `$engine->match($q, answerThreshold: 0.9)`.
     *
     * @param string $question
     * @param int $topK
     * @param string|null $category keep only items of this category
     * @param list<float|int>|null $vector the question's own embedding (the index must hold
     *        embeddings of the same dimension): required by an index built from the host's
     *        vectors with an embedding scale above 0 (the default), mixed with the lexical
     *        score at scale 0, refused by an index built with word vectors
     * @param float|int|null $answerThreshold decision settings for this question (0..1; null
     * @param float|int|null $ambiguityMargin   keeps the index's); suggestionFloor must not
     * @param float|int|null $suggestionFloor   exceed answerThreshold once resolved
     * @param int|null $maxSuggestions 1..100; null keeps the index's
     * @throws InvalidArgumentException|InvalidUtf8Exception|ClosedEngineException
     */
    public function match(mixed $question, mixed $topK = 5, mixed $category = null, mixed $vector = null,
        mixed $answerThreshold = null, mixed $ambiguityMargin = null, mixed $suggestionFloor = null,
        mixed $maxSuggestions = null): MatchResult
    {
        $question = self::text($question, 'question');
        [$params, $keep] = $this->matchParams($topK, $category, $vector, $answerThreshold, $ambiguityMargin,
            $suggestionFloor, $maxSuggestions);
        $ffi = $this->ffi;
        $result = $ffi->new('cb_result*');
        $status = $ffi->cb_match_with_params($this->live(), $question, FFI::addr($params), FFI::addr($result));
        unset($keep);
        $this->check($status);
        try {
            return $this->readResult($result);
        } finally {
            $ffi->cb_result_free($result);
        }
    }

    /**
     * match() for each question, in order (the results equal single matches). Every
     * question is checked before any is matched.
     *
     * @param list<string> $questions
     * @return list<MatchResult>
     */
    public function matchBatch(mixed $questions, mixed $topK = 5): array
    {
        $questions = self::texts($questions);
        $topK = self::topK($topK);
        $handle = $this->live();
        $ffi = $this->ffi;
        $results = [];
        foreach ($questions as $i => $question) {
            $result = $ffi->new('cb_result*');
            $status = $ffi->cb_match($handle, $question, $topK, FFI::addr($result));
            if ($status !== 0) {
                throw ChatbotException::forStatus($status, "questions[$i]: " . $ffi->cb_last_error());
            }
            try {
                $results[] = $this->readResult($result);
            } finally {
                $ffi->cb_result_free($result);
            }
        }
        return $results;
    }

    /**
     * Ids, scores and decisions of many questions in one C call (cb_match_batch): the
     * fastest way to match many questions. A ranking holds fewer than topK ids when
     * fewer items matched.
     *
     * @param list<string> $questions
     * @return list<Ranking>
     */
    public function rankBatch(mixed $questions, mixed $topK = 5): array
    {
        $questions = array_values(self::texts($questions));
        $topK = self::topK($topK);
        $ids = $this->itemIds();
        $ffi = $this->ffi;
        $n = count($questions);
        // One zero-filled (so NUL-terminated) C copy per question, kept alive by $buffers
        // until the call returns. Not one shared buffer with pointer arithmetic: on PHP
        // 8.2, storing `$pointer + $offset` results into a `const char*[]` in a loop
        // crashes the interpreter (segfault), while casting each array works.
        $pointers = $ffi->new('const char*[' . max($n, 1) . ']');
        $buffers = [];
        foreach ($questions as $i => $question) {
            $length = strlen($question);
            $buffer = $ffi->new('char[' . ($length + 1) . ']');
            if ($length > 0) {
                FFI::memcpy($buffer, $question, $length);
            }
            $buffers[] = $buffer;
            $pointers[$i] = $ffi->cast('char*', $buffer);
        }
        $indices = $ffi->new('int32_t[' . max($n * $topK, 1) . ']');
        $scores = $ffi->new('float[' . max($n * $topK, 1) . ']');
        $decisions = $ffi->new('int32_t[' . max($n, 1) . ']');
        $this->check($ffi->cb_match_batch($this->live(), $pointers, $n, $topK, $indices, $scores, $decisions));
        $rankings = [];
        for ($i = 0; $i < $n; $i++) {
            $rowIds = [];
            $rowScores = [];
            for ($j = $i * $topK, $end = $j + $topK; $j < $end; $j++) {
                $index = $indices[$j];
                if ($index < 0) {
                    break;
                }
                $rowIds[] = $ids[$index];
                $rowScores[] = $scores[$j];
            }
            $rankings[] = new Ranking(Decision::fromCode($decisions[$i]), $rowIds, $rowScores);
        }
        return $rankings;
    }

    /**
     * The library's JSON form of match(), decoded: ['decision' => …, 'suggestions' => …,
     * 'matches' => [['id', 'score', 'question', 'answer', 'category'], …], 'suggested' => [positions],
     * 'reply' => [messages]]; the options are those of match().
     *
     * @return array<string, mixed>
     */
    public function matchJson(mixed $question, mixed $topK = 5, mixed $category = null, mixed $vector = null,
        mixed $answerThreshold = null, mixed $ambiguityMargin = null, mixed $suggestionFloor = null,
        mixed $maxSuggestions = null): array
    {
        $question = self::text($question, 'question');
        [$params, $keep] = $this->matchParams($topK, $category, $vector, $answerThreshold, $ambiguityMargin,
            $suggestionFloor, $maxSuggestions);
        $out = $this->ffi->new('char*');
        $status = $this->ffi->cb_match_json_with_params($this->live(), $question, FFI::addr($params), FFI::addr($out));
        unset($keep);
        $this->check($status);
        return $this->takeJson($out);
    }

    // ------------------------------------------------------------------ analysis, saving

    /**
     * How the engine reads $text: ['tokens' => [['text', 'start', 'end', 'kind', 'stem',
     * 'term', 'stop'], …], 'terms' => […]]; start/end are byte offsets into $text.
     *
     * @return array<string, mixed>
     */
    public function analyze(mixed $text): array
    {
        $text = self::text($text, 'text');
        $out = $this->ffi->new('char*');
        $this->check($this->ffi->cb_analyze_json($this->live(), $text, FFI::addr($out)));
        return $this->takeJson($out);
    }

    /**
     * Writes the index to $path atomically, for open() later.
     *
     * @param string|\Stringable $path
     * @throws IOException|InvalidUtf8Exception|ClosedEngineException
     */
    /**
     * Verifies the index's contents if that is still to do (an engine opened with
     * `$mapped = true`), so that the first question does not pay for it; returns at once
     * otherwise.
     *
     * @throws InvalidIndexException for a damaged file (every later match throws it too)
     * @throws ClosedEngineException
     */
    public function verify(): void
    {
        $this->check($this->ffi->cb_engine_verify($this->live()));
    }

    public function save(mixed $path): void
    {
        $path = self::path($path, 'path');
        $this->check($this->ffi->cb_engine_save($this->live(), $path));
    }

    // ------------------------------------------------------------------ internals

    /**
     * The cb_engine handle, for QuestionLog::stats().
     *
     * @internal
     */
    public function cHandle(): CData
    {
        return $this->live();
    }

    private function live(): CData
    {
        return $this->handle ?? throw new ClosedEngineException('the engine is closed');
    }

    private function check(int $status): void
    {
        if ($status !== 0) {
            throw self::failure($this->ffi, $status);
        }
    }

    private static function failure(FFI $ffi, int $status): ChatbotException
    {
        return ChatbotException::forStatus($status, $ffi->cb_last_error());
    }

    /**
     * A cb_match_params from the defaults, and the C data it points to (keep it alive
     * until the call returns).
     *
     * @return array{CData, array<CData|null>}
     */
    private function matchParams(mixed $topK, mixed $category, mixed $vector, mixed $answerThreshold,
        mixed $ambiguityMargin, mixed $suggestionFloor, mixed $maxSuggestions): array
    {
        $ffi = $this->ffi;
        $params = $ffi->cb_match_default_params();
        $params->top_k = self::topK($topK);
        $keep = [];
        if ($category !== null) {
            $params->category = self::cString($ffi, self::text($category, 'category'), $keep[]);
        }
        [$floats, $dimension] = $this->vector($vector);
        if ($floats !== null) {
            $params->query_vector = $ffi->cast('const float*', FFI::addr($floats[0]));
            $keep[] = $floats;
        }
        $params->query_dim = $dimension;
        $params->answer_threshold = self::setting($answerThreshold, 'answerThreshold');
        $params->ambiguity_margin = self::setting($ambiguityMargin, 'ambiguityMargin');
        $params->suggestion_floor = self::setting($suggestionFloor, 'suggestionFloor');
        $params->max_suggestions = self::maxSuggestions($maxSuggestions);
        return [$params, $keep];
    }

    /** A decision setting: null keeps the default (-1); the range is checked by the library. */
    private static function setting(mixed $value, string $what): float
    {
        if ($value === null) {
            return -1.0;
        }
        if (!is_int($value) && !is_float($value)) {
            throw new InvalidArgumentException("$what must be a number or null, not " . get_debug_type($value), 1);
        }
        if (is_nan((float) $value)) {
            throw new InvalidArgumentException("$what must be between 0 and 1, got NAN", 1);
        }
        return (float) $value;
    }

    /** null keeps the library's default (-1); otherwise 0..100 (a negative value would
     *  silently mean the default to the library, so it is refused here). */
    private static function embeddingScale(mixed $value): float
    {
        if ($value === null) {
            return -1.0;
        }
        if (!is_int($value) && !is_float($value)) {
            throw new InvalidArgumentException('embeddingScale must be a number or null, not ' . get_debug_type($value), 1);
        }
        $number = (float) $value;
        if (!($number >= 0.0 && $number <= self::MAX_EMBEDDING_SCALE)) { // also NAN
            throw new InvalidArgumentException('embeddingScale must be between 0 and 100 (null: the default), got '
                . var_export($number, true), 1);
        }
        return $number;
    }

    private static function maxSuggestions(mixed $value): int
    {
        if ($value === null) {
            return 0;
        }
        if (!is_int($value)) {
            throw new InvalidArgumentException('maxSuggestions must be an int or null, not ' . get_debug_type($value), 1);
        }
        if ($value < -2147483648 || $value > 2147483647) {
            throw new InvalidArgumentException("maxSuggestions must be between 1 and 100, got $value", 1);
        }
        return $value;
    }

    private static function flag(mixed $value, string $what): bool
    {
        if (!is_bool($value)) {
            throw new InvalidArgumentException("$what must be a bool, not " . get_debug_type($value), 1);
        }
        return $value;
    }

    /** @return list<Diagnostic> */
    private static function readDiagnostics(FFI $ffi, CData $diagnostics): array
    {
        $read = [];
        for ($i = 0, $n = $ffi->cb_diagnostics_count($diagnostics); $i < $n; $i++) {
            $column = $ffi->cb_diagnostic_column($diagnostics, $i);
            $code = $ffi->cb_diagnostic_code($diagnostics, $i);
            $message = $ffi->cb_diagnostic_message($diagnostics, $i);
            if ($code === null || $message === null) {
                throw new InternalException("diagnostic accessor returned NULL for diagnostic $i of $n", 7);
            }
            $read[] = new Diagnostic(
                $ffi->cb_diagnostic_severity($diagnostics, $i) === 1 ? Diagnostic::WARNING : Diagnostic::ERROR,
                $ffi->cb_diagnostic_row($diagnostics, $i),
                $column === null || $column === '' ? null : $column,
                $code,
                $message,
            );
        }
        return $read;
    }

    private function readResult(CData $result): MatchResult
    {
        $ffi = $this->ffi;
        $matches = [];
        for ($i = 0, $n = $ffi->cb_result_count($result); $i < $n; $i++) {
            $id = $ffi->cb_result_id($result, $i);
            $question = $ffi->cb_result_question($result, $i);
            $answer = $ffi->cb_result_answer($result, $i);
            $category = $ffi->cb_result_category($result, $i);
            if ($id === null || $question === null || $answer === null || $category === null) {
                throw new InternalException("result accessor returned NULL for match $i of $n: " . $ffi->cb_last_error(), 7);
            }
            $matches[] = new MatchedItem($id, $ffi->cb_result_score($result, $i), $question, $answer, $category,
                $ffi->cb_result_item_index($result, $i));
        }
        $suggested = [];
        for ($i = 0, $n = $ffi->cb_result_suggestion_count($result); $i < $n; $i++) {
            $position = $ffi->cb_result_suggestion($result, $i);
            $suggested[] = $matches[$position]
                ?? throw new InternalException("cb_result_suggestion($i) returned $position for " . count($matches) . ' matches', 7);
        }
        $reply = $ffi->cb_result_reply($result);
        if ($reply === null) {
            throw new InternalException('cb_result_reply returned NULL for a valid result: ' . $ffi->cb_last_error(), 7);
        }
        try {
            $messages = Messages::fromArray(json_decode($reply, true, 64, JSON_THROW_ON_ERROR));
        } catch (\JsonException $e) {
            throw new InternalException("libchatbot returned an invalid reply: {$e->getMessage()}", 7, $e);
        }
        return new MatchResult(Decision::fromCode($ffi->cb_result_decision($result)), count($suggested), $matches,
            $messages, $suggested, $reply);
    }

    /** Decodes and frees a JSON string returned by the library. */
    private function takeJson(CData $pointer): array
    {
        try {
            $json = FFI::string($pointer);
        } finally {
            $this->ffi->cb_string_free($pointer);
        }
        try {
            return json_decode($json, true, 64, JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new InternalException("libchatbot returned invalid JSON: {$e->getMessage()}", 7, $e);
        }
    }

    /** @return array{CData|null, int} */
    private function vector(mixed $vector): array
    {
        if ($vector === null) {
            return [null, 0];
        }
        if (!is_array($vector)) {
            throw new InvalidArgumentException('vector must be an array of numbers, not ' . get_debug_type($vector), 1);
        }
        // An empty vector reaches the library, which rejects it with its own message.
        $floats = $this->ffi->new('float[' . max(count($vector), 1) . ']');
        $i = 0;
        foreach ($vector as $value) {
            if (!is_int($value) && !is_float($value)) {
                throw new InvalidArgumentException("vector[$i] must be a number, not " . get_debug_type($value), 1);
            }
            $floats[$i++] = (float) $value;
        }
        return [$floats, count($vector)];
    }

    /** @return array<array-key, string> */
    private static function texts(mixed $questions): array
    {
        if (!is_array($questions)) {
            throw new InvalidArgumentException('questions must be an array of strings, not ' . get_debug_type($questions), 1);
        }
        foreach ($questions as $key => $question) {
            self::text($question, "questions[$key]");
        }
        return $questions;
    }

    private static function path(mixed $value, string $what): string
    {
        if ($value instanceof \Stringable) {
            $value = (string) $value;
        }
        if (!is_string($value)) {
            throw new InvalidArgumentException("$what must be a string, not " . get_debug_type($value), 1);
        }
        return self::text($value, $what);
    }

    private static function topK(mixed $value): int
    {
        if (!is_int($value)) {
            throw new InvalidArgumentException('top_k must be an int, not ' . get_debug_type($value), 1);
        }
        if ($value < 1 || $value > self::MAX_TOP_K) {
            throw new InvalidArgumentException('top_k must be between 1 and ' . self::MAX_TOP_K . ", got $value", 1);
        }
        return $value;
    }
}
