<?php

declare(strict_types=1);

namespace Chatbot;

use FFI;
use FFI\CData;

/**
 * Masks personal data in French text, over libchatbot's `cb_anonymizer`: e-mail addresses
 * [EMAIL], French phone numbers [TELEPHONE], NIR with a valid key [NIR], IBAN passing
 * mod-97 [IBAN], Luhn-valid card numbers [CARTE], plus the host's patterns:
 * `new Anonymizer(['MATRICULE' => 'M######'])` masks "M123456" as "[MATRICULE]"
 * (template: `#` a digit, `@` an ASCII letter, `\` escapes the next character, anything
 * else itself; matched on word boundaries). Names are 1–32 of A–Z, 0–9, _ and not a
 * built-in kind (InvalidArgumentException otherwise). Dates, amounts and numbers failing
 * their check digits are left alone.
 *
 * close() is idempotent and also runs when the object is destroyed.
 */
final class Anonymizer
{
    use OwnsCHandle;
    use CStrings;

    /** The placeholders of the built-in kinds. */
    public const BUILT_IN_KINDS = ['EMAIL', 'TELEPHONE', 'NIR', 'IBAN', 'CARTE'];

    private ?CData $handle;
    /** @var array<string, string> */
    private array $patterns;

    /**
     * @param array<string, string> $patterns placeholder name => template
     * @throws InvalidArgumentException for an invalid name or template (the message names it)
     * @throws InvalidUtf8Exception
     */
    public function __construct(mixed $patterns = [])
    {
        $this->handle = null;
        if (!is_array($patterns)) {
            throw new InvalidArgumentException('patterns must be an array of name => template, not '
                . get_debug_type($patterns), 1);
        }
        $ffi = Library::ffi();
        $params = $ffi->cb_anonymizer_default_params();
        $count = count($patterns);
        $keep = [];
        $names = $ffi->new('const char*[' . max($count, 1) . ']');
        $templates = $ffi->new('const char*[' . max($count, 1) . ']');
        $i = 0;
        foreach ($patterns as $name => $template) {
            $name = (string) $name; // PHP turns numeric string keys into ints
            if (!is_string($template)) {
                throw new InvalidArgumentException("pattern $name must be a string, not " . get_debug_type($template), 1);
            }
            $names[$i] = self::cString($ffi, self::text($name, 'pattern name'), $keep[]);
            $templates[$i] = self::cString($ffi, self::text($template, "pattern $name"), $keep[]);
            $i++;
        }
        $params->pattern_count = $count;
        $params->pattern_names = $ffi->cast('const char *const *', FFI::addr($names[0]));
        $params->patterns = $ffi->cast('const char *const *', FFI::addr($templates[0]));
        $out = $ffi->new('cb_anonymizer*');
        $status = $ffi->cb_anonymizer_new(FFI::addr($params), FFI::addr($out));
        if ($status !== 0) {
            throw ChatbotException::forStatus($status, $ffi->cb_last_error());
        }
        $this->handle = $out;
        $this->patterns = array_combine(array_map('strval', array_keys($patterns)), array_values($patterns));
    }

    /** An anonymiser with the built-in kinds only. */
    public static function builtIn(): self
    {
        return new self([]);
    }

    /** @return array<string, string> the host patterns, name => template */
    public function patterns(): array
    {
        return $this->patterns;
    }

    /**
     * $text with personal data replaced by placeholders ("[EMAIL]", "[MATRICULE]"…).
     *
     * @throws InvalidArgumentException (not a string, NUL byte)|InvalidUtf8Exception|ClosedAnonymizerException
     */
    public function anonymize(mixed $text): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char*');
        $status = $ffi->cb_anonymize($this->live(), self::text($text, 'text'), FFI::addr($out));
        if ($status !== 0) {
            throw ChatbotException::forStatus($status, $ffi->cb_last_error());
        }
        return self::take($ffi, $out);
    }

    /**
     * As anonymize(), with what was masked: Redaction objects whose offsets are UTF-8
     * byte offsets into the original $text (what substr() takes).
     *
     * @throws InvalidArgumentException|InvalidUtf8Exception|ClosedAnonymizerException
     */
    public function redact(mixed $text): Redacted
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char*');
        $status = $ffi->cb_anonymize_json($this->live(), self::text($text, 'text'), FFI::addr($out));
        if ($status !== 0) {
            throw ChatbotException::forStatus($status, $ffi->cb_last_error());
        }
        $json = self::take($ffi, $out);
        try {
            $parsed = json_decode($json, true, 16, JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new InternalException("libchatbot returned invalid JSON: {$e->getMessage()}", 7, $e);
        }
        $redactions = [];
        foreach ($parsed['redactions'] as $r) {
            $redactions[] = new Redaction((string) $r['kind'], (int) $r['start'], (int) $r['end']);
        }
        return new Redacted((string) $parsed['text'], $redactions);
    }

    private function freeHandle(CData $handle): void
    {
        Library::ffi()->cb_anonymizer_free($handle);
    }

    private function live(): CData
    {
        return $this->handle ?? throw new ClosedAnonymizerException('the anonymizer is closed');
    }

    private static function take(FFI $ffi, CData $pointer): string
    {
        if (FFI::isNull($pointer)) {
            throw new InternalException('the library returned CB_OK with a NULL string', 7);
        }
        try {
            return FFI::string($pointer);
        } finally {
            $ffi->cb_string_free($pointer);
        }
    }
}
