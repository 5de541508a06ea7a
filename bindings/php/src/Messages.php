<?php

declare(strict_types=1);

namespace Chatbot;

/** Parses messages from their JSON form (cb_result_reply, the messages of an item). */
final class Messages
{
    private function __construct()
    {
    }

    /**
     * [{"type":"text","text"}, {"type":"image","url"},
     *  {"type":"buttons"|"quick_replies","buttons":[{"title","url"|"item"}, …]}, …]
     *
     * @param mixed $raw the decoded JSON array
     * @return list<Message>
     * @throws InternalException for a malformed message
     */
    public static function fromArray(mixed $raw): array
    {
        if (!is_array($raw) || !array_is_list($raw)) {
            throw new InternalException('libchatbot returned messages that are not a list', 7);
        }
        $messages = [];
        foreach ($raw as $entry) {
            $type = is_array($entry) ? ($entry['type'] ?? null) : null;
            $messages[] = match ($type) {
                'text' => new TextMessage(self::string($entry, 'text')),
                'image' => new ImageMessage(self::string($entry, 'url')),
                'buttons' => new ButtonsMessage(self::buttons($entry)),
                'quick_replies' => new QuickRepliesMessage(self::buttons($entry)),
                default => is_string($type) ? new UnknownMessage($type, $entry)
                    : throw new InternalException('libchatbot returned a malformed message: ' . json_encode($entry), 7),
            };
        }
        return $messages;
    }

    /** @return list<Button> */
    private static function buttons(array $entry): array
    {
        $raw = $entry['buttons'] ?? null;
        if (!is_array($raw)) {
            throw new InternalException('libchatbot returned a message without buttons: ' . json_encode($entry), 7);
        }
        $buttons = [];
        foreach ($raw as $button) {
            if (!is_array($button)) {
                throw new InternalException('libchatbot returned a malformed button: ' . json_encode($button), 7);
            }
            $url = $button['url'] ?? null;
            $item = $button['item'] ?? null;
            if (($url !== null && !is_string($url)) || ($item !== null && !is_string($item))) {
                throw new InternalException('libchatbot returned a malformed button: ' . json_encode($button), 7);
            }
            $buttons[] = new Button(self::string($button, 'title'), $url, $item);
        }
        return $buttons;
    }

    private static function string(array $entry, string $key): string
    {
        $value = $entry[$key] ?? null;
        if (!is_string($value)) {
            throw new InternalException("libchatbot returned a message without \"$key\": " . json_encode($entry), 7);
        }
        return $value;
    }
}
