<?php

declare(strict_types=1);

namespace Chatbot;

/** A message of a type this binding does not know: its type and its decoded JSON object. */
final class UnknownMessage implements Message
{
    /** @param array<string, mixed> $data */
    public function __construct(public readonly string $messageType, public readonly array $data)
    {
    }

    public function type(): string
    {
        return $this->messageType;
    }
}
