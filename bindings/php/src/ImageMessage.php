<?php

declare(strict_types=1);

namespace Chatbot;

/** An image, by URL. */
final class ImageMessage implements Message
{
    public function __construct(public readonly string $url)
    {
    }

    public function type(): string
    {
        return 'image';
    }
}
