<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\ClosedEngineException;
use Chatbot\Engine;
use Chatbot\InvalidIndexException;
use Chatbot\IOException;

final class ReloadTest extends TestCase
{
    private const TSV_A = "badge_a\tj'ai perdu mon badge\nconges_a\tcomment poser des congés\nsalaire_a\tquand est versé le salaire\n";
    private const TSV_B = "salaire_b\tquand est versé le salaire\nbadge_b\tj'ai perdu mon badge\n"
        . "conges_b\tcomment poser des congés\nmutuelle_b\tcomment adhérer à la mutuelle\n";

    private function index(string $name, string $tsv): string
    {
        $source = $this->fixtures->dir . "/$name.tsv";
        file_put_contents($source, $tsv);
        $path = $this->fixtures->dir . "/$name.cbindex";
        Engine::build($source)->save($path);
        return $path;
    }

    public function testReloadChangesTheIds(): void
    {
        $a = $this->index('a', self::TSV_A);
        $b = $this->index('b', self::TSV_B);
        $engine = Engine::open($a);
        $this->assertSame(['badge_a', 'conges_a', 'salaire_a'], $engine->itemIds());
        $this->assertSame('badge_a', $engine->match("j'ai perdu mon badge")->matches[0]->id);
        $engine->reload($b);
        $this->assertSame(['salaire_b', 'badge_b', 'conges_b', 'mutuelle_b'], $engine->itemIds());
        $this->assertSame(4, $engine->itemCount());
        $this->assertSame('badge_b', $engine->match("j'ai perdu mon badge")->matches[0]->id);
        $this->assertSame('badge_b', $engine->rankBatch(["j'ai perdu mon badge"])[0]->ids[0]);
        $engine->reload(new \SplFileInfo($a));
        $this->assertSame('badge_a', $engine->itemId(0));
    }

    public function testFailedReloadsKeepThePreviousIndex(): void
    {
        $a = $this->index('a', self::TSV_A);
        $engine = Engine::open($a);
        $this->assertThrowsChatbot(IOException::class, fn () => $engine->reload($this->fixtures->dir . '/missing.cbindex'));
        $this->assertSame('badge_a', $engine->match("j'ai perdu mon badge")->matches[0]->id);
        $data = file_get_contents($a);
        $middle = intdiv(strlen($data), 2);
        $data[$middle] = chr(ord($data[$middle]) ^ 0xFF);
        file_put_contents($this->fixtures->dir . '/corrupted.cbindex', $data);
        $this->assertThrowsChatbot(InvalidIndexException::class,
            fn () => $engine->reload($this->fixtures->dir . '/corrupted.cbindex'));
        $this->assertThrowsChatbot(\Chatbot\InvalidArgumentException::class, fn () => $engine->reload(42));
        $this->assertSame(['badge_a', 'conges_a', 'salaire_a'], $engine->itemIds());
        $this->assertSame('badge_a', $engine->match("j'ai perdu mon badge")->matches[0]->id);
    }

    public function testDeploymentRecipe(): void
    {
        $live = $this->fixtures->dir . '/live.cbindex';
        copy($this->index('a', self::TSV_A), $live);
        $engine = Engine::open($live);
        // Build to a temporary file in the same folder, rename it over the live file, reload.
        $temporary = $live . '.tmp';
        file_put_contents($this->fixtures->dir . '/b.tsv', self::TSV_B);
        Engine::build($this->fixtures->dir . '/b.tsv')->save($temporary);
        $this->assertTrue(rename($temporary, $live));
        $engine->reload($live);
        $this->assertSame('badge_b', $engine->match("j'ai perdu mon badge")->matches[0]->id);
    }

    public function testClosedEngineCannotReload(): void
    {
        $a = $this->index('a', self::TSV_A);
        $engine = Engine::open($a);
        $engine->close();
        $this->assertThrowsChatbot(ClosedEngineException::class, fn () => $engine->reload($a));
    }
}
