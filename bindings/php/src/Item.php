<?php

declare(strict_types=1);

namespace Chatbot;

/** One knowledge-base item, as Engine::item() returns it. */
final class Item
{
    /**
     * @param string $id the item's id
     * @param string $category '' when none
     * @param string|null $question the main question; null for items without questions
     *        (phrase_presentation, button targets)
     * @param list<string> $alternatives the other questions
     * @param list<Message> $messages what to send for this item
     * @param bool $hidden hidden items are never matched (they can still be shown by id)
     * @param \DateTimeImmutable|null $expires the date after which the item is no longer matched
     */
    public function __construct(
        public readonly string $id,
        public readonly string $category,
        public readonly ?string $question,
        public readonly array $alternatives,
        public readonly array $messages,
        public readonly bool $hidden,
        public readonly ?\DateTimeImmutable $expires,
    ) {
    }

    /**
     * An item from the decoded JSON of cb_engine_item_json.
     *
     * @param array<string, mixed> $raw
     * @throws InternalException when it is malformed
     */
    public static function fromArray(array $raw): self
    {
        $expires = null;
        if (isset($raw['expires'])) {
            $expires = is_string($raw['expires'])
                ? \DateTimeImmutable::createFromFormat('!Y-m-d', $raw['expires'], new \DateTimeZone('UTC')) : false;
            if ($expires === false) {
                throw new InternalException('libchatbot returned an invalid expiry date: ' . json_encode($raw['expires']), 7);
            }
        }
        $id = $raw['id'] ?? null;
        $question = $raw['question'] ?? null;
        $alternatives = $raw['alternatives'] ?? [];
        if (!is_string($id) || ($question !== null && !is_string($question)) || !is_array($alternatives)) {
            throw new InternalException('libchatbot returned a malformed item: ' . json_encode($raw), 7);
        }
        return new self($id, (string) ($raw['category'] ?? ''), $question, array_values(array_map('strval', $alternatives)),
            Messages::fromArray($raw['messages'] ?? []), (bool) ($raw['hidden'] ?? false), $expires);
    }
}
