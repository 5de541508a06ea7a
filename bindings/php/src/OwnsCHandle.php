<?php

declare(strict_types=1);

namespace Chatbot;

use FFI\CData;

/**
 * The lifetime of a PHP object that owns one C handle (engine, question log, anonymiser):
 * `close()` frees it once, the destructor closes, and cloning is refused, since a copy
 * would free the same C object twice. The class declares `private ?CData $handle` and
 * `freeHandle()`.
 *
 * @internal
 */
trait OwnsCHandle
{
    /** Frees the C object behind `$handle` (called once, by `close()`). */
    abstract private function freeHandle(CData $handle): void;

    /** Releases the C object. Idempotent; results already returned stay valid. */
    public function close(): void
    {
        if ($this->handle !== null) {
            $handle = $this->handle;
            $this->handle = null;
            $this->freeHandle($handle);
        }
    }

    public function isClosed(): bool
    {
        return $this->handle === null;
    }

    public function __destruct()
    {
        $this->close();
    }

    /** @throws ChatbotException a copy would free the same C object twice */
    public function __clone()
    {
        // The copy is destroyed when this throws: it must not free the original's object.
        $this->handle = null;
        $name = (new \ReflectionClass($this))->getShortName();
        throw new ChatbotException(
            (in_array($name[0], ['A', 'E', 'I', 'O', 'U'], true) ? 'an ' : 'a ')
            . "$name cannot be cloned; share the object instead"
        );
    }
}
