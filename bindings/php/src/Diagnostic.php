<?php

declare(strict_types=1);

namespace Chatbot;

/** An error or a warning found in a knowledge-base source (Engine::build()). */
final class Diagnostic
{
    /** Refuses the build. */
    public const ERROR = 'error';
    /** Reported; the build goes on. */
    public const WARNING = 'warning';

    /**
     * @param string $severity Diagnostic::ERROR or Diagnostic::WARNING
     * @param int $row the row number the spreadsheet shows (the line of a text file); 0 for the whole file
     * @param string|null $column column letter ('A', 'G'), null when not about one cell
     * @param string $code stable code, e.g. 'missing_id', 'no_category'
     * @param string $message for people (French for the template's checks)
     */
    public function __construct(
        public readonly string $severity,
        public readonly int $row,
        public readonly ?string $column,
        public readonly string $code,
        public readonly string $message,
    ) {
    }

    public function isError(): bool
    {
        return $this->severity === self::ERROR;
    }

    public function __toString(): string
    {
        return "{$this->severity}: row {$this->row}" . ($this->column !== null ? ", column {$this->column}" : '')
            . ": {$this->message} [{$this->code}]";
    }
}
