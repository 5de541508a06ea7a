<?php

declare(strict_types=1);

namespace Chatbot;

use FFI;
use FFI\CData;

/**
 * The question log: one SQLite file holding every question, click and welcome a bot
 * handled, with its decision, matches and reply; the users' feedback; the review inbox.
 * It is the file `chatbot-cli stats` and `chatbot-cli inbox` read; stats() and inbox()
 * return their JSON (`--json`) as arrays.
 *
 *     $log = new QuestionLog('/var/lib/bot/questions.db');
 *     $result = $engine->match($question);
 *     $log->record($question, $result, conversation: $sessionId, latencyUs: $elapsed);
 *
 * record() queues the row and returns at once; a background thread of the library writes
 * rows in batches, so logging never waits for the disk. When more than $queueCapacity rows
 * (default 10,000) wait, new rows are dropped and counted (dropped()). flush() waits until
 * every queued row is written; stats() and inbox() see only written rows. Several
 * processes (PHP-FPM workers) may open the same file at once.
 * Throws IOException when the file cannot be opened or created, is not a question log, or
 * was written by a newer libchatbot. close() (or the destructor) writes what is queued.
 */
final class QuestionLog
{
    use OwnsCHandle;
    use CStrings;

    private const KINDS = ['question' => 0, 'click' => 1, 'welcome' => 2];
    private const FEEDBACK = ['relevant' => 0, 'wrong' => 1, 'off_topic' => 2];
    private const ACTIONS = ['accept' => 0, 'relink' => 1, 'out_of_scope' => 2, 'archive' => 3];
    private const BANDS = ['confirmed', 'to_verify', 'pending'];

    private ?CData $handle;
    private FFI $ffi;

    public function __construct(mixed $path, mixed $queueCapacity = null, bool $readOnly = false)
    {
        $this->handle = null;
        $this->ffi = Library::ffi();
        $path = self::text($path, 'path');
        $params = $this->ffi->cb_log_default_params();
        if ($queueCapacity !== null) {
            if (!is_int($queueCapacity)) {
                throw new InvalidArgumentException('queueCapacity must be an int, not ' . get_debug_type($queueCapacity), 1);
            }
            if ($queueCapacity < 1) {
                throw new InvalidArgumentException("queueCapacity must be 1 or more, got $queueCapacity", 1);
            }
            $params->queue_capacity = $queueCapacity;
        }
        $params->read_only = $readOnly ? 1 : 0;
        $out = $this->ffi->new('cb_log*');
        $this->check($this->ffi->cb_log_open($path, FFI::addr($params), FFI::addr($out)));
        $this->handle = $out;
    }

    /**
     * Queues one row: $question as typed (personal data is masked before it is stored) and the
     * $result of Engine::match() (decision, first matches, reply). $kind is 'question'
     * (typed; the only kind counted in the answer rate), 'click' or 'welcome'. $latencyUs < 0
     * means unknown (stored as 0); $timeMs (UTC milliseconds) defaults to now. Never waits
     * for the disk; a full queue drops the row (dropped()). Returns null; with $sync the row
     * is written before returning (about 0.1 ms) and its id is returned, to attach feedback
     * right after the reply (null if it could not be written).
     */
    public function record(mixed $question, MatchResult $result, mixed $conversation, mixed $channel = null,
                           mixed $kind = 'question', mixed $latencyUs = 0, mixed $kbVersion = '',
                           mixed $timeMs = null, bool $sync = false): ?int
    {
        $question = self::text($question, 'question');
        $params = $this->ffi->cb_log_default_record_params();
        $params->kind = self::choice($kind, self::KINDS, 'kind');
        $keep = [];
        $params->conversation = self::cString($this->ffi, self::text($conversation, 'conversation'), $keep[]);
        if ($channel !== null) {
            $params->channel = self::cString($this->ffi, self::text($channel, 'channel'), $keep[]);
        }
        $params->kb_version = self::cString($this->ffi, self::text($kbVersion, 'kbVersion'), $keep[]);
        $params->latency_us = self::int($latencyUs, 'latencyUs');
        if ($timeMs !== null) {
            $params->time_ms = self::int($timeMs, 'timeMs');
        }
        $matches = [];
        foreach ($result->matches as $m) {
            $matches[] = ['id' => $m->id, 'score' => (float) $m->score, 'category' => $m->category];
        }
        // The reply exactly as the library wrote it (Engine::match keeps it); [] for a result
        // built by hand.
        $head = json_encode(['decision' => $result->decision, 'matches' => $matches],
            JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR);
        $json = substr($head, 0, -1) . ',"reply":' . ($result->replyJson ?? '[]') . '}';
        $rowId = $this->ffi->new('int64_t');
        $rowId->cdata = -1;
        if ($sync) {
            $params->id_out = FFI::addr($rowId);
        }
        $this->check($this->ffi->cb_log_record_json($this->live(), $question, $json, FFI::addr($params)));
        return $sync && $rowId->cdata >= 0 ? (int) $rowId->cdata : null;
    }

    /** Waits until every queued row is written; IOException when rows could not be written since the last flush. */
    public function flush(): void
    {
        $this->check($this->ffi->cb_log_flush($this->live()));
    }

    /** Rows dropped since the log was opened because the queue was full. */
    public function dropped(): int
    {
        $out = $this->ffi->new('size_t');
        $this->check($this->ffi->cb_log_dropped($this->live(), FFI::addr($out)));
        return (int) $out->cdata;
    }

    /** Attaches the user's feedback ('relevant', 'wrong', 'off_topic') to a logged question; NotFoundException for an unknown id. */
    public function feedback(mixed $questionId, mixed $feedback): void
    {
        $this->check($this->ffi->cb_log_feedback($this->live(), self::int($questionId, 'questionId'),
            self::choice($feedback, self::FEEDBACK, 'feedback')));
    }

    /**
     * Reviews a logged question, as `chatbot-cli inbox`: 'accept' (it becomes an alternative
     * question of $item, by default its best item), 'relink' (… of $item, required),
     * 'out_of_scope' or 'archive'. Idempotent. NotFoundException for an unknown id.
     */
    public function review(mixed $questionId, mixed $action, mixed $item = null): void
    {
        $item = $item === null ? null : self::text($item, 'item');
        $this->check($this->ffi->cb_log_review($this->live(), self::int($questionId, 'questionId'),
            self::choice($action, self::ACTIONS, 'action'), $item));
    }

    /**
     * The statistics of rows with $since <= time < $until (null: open; an int is UTC
     * milliseconds, a DateTimeInterface its instant), as the array of `chatbot-cli stats
     * --json`: 'questions', 'answered', 'answer_rate', 'most_asked_items', 'series' by $by
     * ('week' or 'day')… With $engine, 'never_asked' lists its items never asked.
     *
     * @return array<string, mixed>
     */
    public function stats(mixed $since = null, mixed $until = null, string $by = 'week', ?Engine $engine = null,
                          int $top = 10): array
    {
        if ($by !== 'week' && $by !== 'day') {
            throw new InvalidArgumentException("by must be 'week' or 'day', got '$by'", 1);
        }
        if ($top < 1 || $top > 1000) {
            throw new InvalidArgumentException("top must be between 1 and 1000, got $top", 1);
        }
        $params = $this->ffi->cb_stats_default_params();
        $params->since_ms = self::milliseconds($since, 'since');
        $params->until_ms = self::milliseconds($until, 'until');
        $params->by_week = $by === 'week' ? 1 : 0;
        $params->top = $top;
        if ($engine !== null) {
            $params->engine = $this->ffi->cast('const cb_engine*', $engine->cHandle());
        }
        $out = $this->ffi->new('char*');
        $this->check($this->ffi->cb_log_stats_json($this->live(), FFI::addr($params), FFI::addr($out)));
        return $this->takeJson($out);
    }

    /**
     * Typed questions not reviewed yet, newest first, as the array of `chatbot-cli inbox LOG
     * list --json`: $band 'confirmed', 'to_verify', 'pending' or null for all.
     *
     * @return list<array<string, mixed>>
     */
    public function inbox(?string $band = null, int $limit = 100): array
    {
        if ($band !== null && !in_array($band, self::BANDS, true)) {
            throw new InvalidArgumentException('band must be one of ' . implode(', ', self::BANDS) . " or null, got '$band'", 1);
        }
        if ($limit < 0) {
            throw new InvalidArgumentException("limit must be 0 or more, got $limit", 1);
        }
        $out = $this->ffi->new('char*');
        $this->check($this->ffi->cb_log_inbox_json($this->live(), $band, $limit, FFI::addr($out)));
        return $this->takeJson($out);
    }

    /** Blanks the question and reply texts of rows older than $days days; returns how many. */
    public function purge(int $days): int
    {
        if ($days < 0 || $days > 2147483647) {
            throw new InvalidArgumentException("days must be 0 or more, got $days", 1);
        }
        $out = $this->ffi->new('size_t');
        $this->check($this->ffi->cb_log_purge($this->live(), $days, FFI::addr($out)));
        return (int) $out->cdata;
    }

    /**
     * Writes the reviewed questions (accepted, relinked, out of scope) into the knowledge-base
     * $source they came from (.xlsx, .csv, .tsv, .json; a backup SOURCE.bak-YYYYMMDD-HHMMSS
     * first) and marks them applied, as `chatbot-cli inbox LOG apply`. With $index, and when
     * the source changed, rebuilds that index from it (its stored settings, warm start) and
     * renames the new file over it: call $engine->reload($index) to answer from it. Returns
     * the report: ['applied' => N, 'added' => [...], 'skipped' => [...], 'pending' => [...],
     * 'warnings' => [...], 'backup' => path|null, 'marked' => N, 'index' => path|null,
     * 'rebuild_ms' => float|null, ...], each question ['id', 'item', 'question']. Applying
     * again applies nothing.
     *
     * @throws InvalidArgumentException an .ods source, an index as the source, an index path
     *         that is the source or not an index, a read-only log
     * @throws InvalidSourceException the source does not read
     * @throws IOException
     */
    public function apply(mixed $source, mixed $index = null): array
    {
        $source = self::text($source instanceof \Stringable ? (string) $source : $source, 'source');
        $index = $index === null ? null : self::text($index instanceof \Stringable ? (string) $index : $index, 'index');
        $out = $this->ffi->new('char*');
        $this->check($this->ffi->cb_log_apply($this->live(), $source, $index, FFI::addr($out)));
        return $this->takeJson($out);
    }

    /** Writes what is queued (cb_log_free) and releases the log; `close()` calls it once. */
    private function freeHandle(CData $handle): void
    {
        $this->ffi->cb_log_free($handle);
    }

    // ------------------------------------------------------------------ internals

    private function live(): CData
    {
        return $this->handle ?? throw new ClosedLogException('the question log is closed');
    }

    private function check(int $status): void
    {
        if ($status !== 0) {
            throw ChatbotException::forStatus($status, $this->ffi->cb_last_error());
        }
    }

    private function takeJson(CData $pointer): array
    {
        if (FFI::isNull($pointer)) {
            throw new InternalException('the library returned CB_OK with a NULL string', 7);
        }
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

    private static function milliseconds(mixed $value, string $what): int
    {
        if ($value === null) {
            return 0;
        }
        if (is_int($value)) {
            return $value;
        }
        if ($value instanceof \DateTimeInterface) {
            // Seconds and milliseconds apart: `(int) format('Uv')` clamped an instant beyond
            // the int64 milliseconds of the C parameter to PHP_INT_MAX without a word.
            $seconds = $value->getTimestamp();
            if ($seconds >= intdiv(PHP_INT_MAX, 1000) || $seconds <= intdiv(PHP_INT_MIN, 1000)) {
                throw new InvalidArgumentException("$what is out of range: its UTC milliseconds since 1970 do not fit in 64 bits", 1);
            }
            return $seconds * 1000 + (int) $value->format('v');
        }
        throw new InvalidArgumentException("$what must be an int (ms), a DateTimeInterface or null, not "
            . get_debug_type($value), 1);
    }

    private static function choice(mixed $value, array $choices, string $what): int
    {
        if (!is_string($value) || !array_key_exists($value, $choices)) {
            throw new InvalidArgumentException("$what must be one of " . implode(', ', array_keys($choices)) . ', got '
                . (is_string($value) ? "'$value'" : get_debug_type($value)), 1);
        }
        return $choices[$value];
    }

    private static function int(mixed $value, string $what): int
    {
        if (!is_int($value)) {
            throw new InvalidArgumentException("$what must be an int, not " . get_debug_type($value), 1);
        }
        return $value;
    }
}
