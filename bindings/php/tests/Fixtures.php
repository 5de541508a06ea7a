<?php

declare(strict_types=1);

namespace Chatbot\Tests;

use Chatbot\Engine;

/** Small hand-written knowledge bases, written into a fresh temporary folder per test. */
final class Fixtures
{
    public const TSV = "conges\tcomment poser des congés\n"
        . "conges\tje veux prendre des vacances\n"
        . "badge\tj'ai perdu mon badge\n"
        . "badge\tbadge perdu que faire\n"
        . "salaire\tquand est versé le salaire\n"
        . "salaire\tdate de paiement de la paie\n"
        . "teletravail\tcombien de jours de télétravail par semaine\n"
        . "mutuelle\tcomment adhérer à la mutuelle\n";

    public const CSV = "id;question;answer;category\n"
        . "conges;Comment poser des congés ?;Sur le portail RH, rubrique Absences.;RH\n"
        . "conges;Je veux prendre des vacances;;\n"
        . "badge;J'ai perdu mon badge;Appelez l'accueil, poste 12.;Sécurité\n"
        . "parking;Où garer ma voiture ?;Au parking P2, niveau -1.;Sécurité\n"
        . "salaire;Quand est versé le salaire ?;Le 28 de chaque mois.;RH\n";

    public const SYNONYMS = "congé; vacances; jours off\nbadge; carte d'accès\n";

    public const JSON = '{"items": ['
        . '{"id": "conges", "question": {"text": "comment poser des congés", "vector": [1, 0, 0]}, "answer": "Sur le portail RH.", "category": "RH"},'
        . '{"id": "badge", "question": {"text": "j\'ai perdu mon badge", "vector": [0, 1, 0]}, "answer": "Appelez l\'accueil.", "category": "Sécurité"},'
        . '{"id": "salaire", "question": {"text": "quand est versé le salaire", "vector": [0, 0, 1]}, "answer": "Le 28.", "category": "RH"}'
        . ']}';

    /** An HR base with reserved items, rich messages and an item button. */
    public const RICH = <<<'JSON'
        {"items": [
         {"id": "phrase_presentation", "messages": [{"type": "text", "text": "Bonjour, je suis l'assistant RH."}]},
         {"id": "phrase_hors_sujet", "question": "Quel temps fait-il ?", "alternatives": ["Quelle est la capitale du Pérou ?"], "messages": [{"type": "text", "text": "Je ne sais répondre qu'aux questions RH."}]},
         {"id": "conges", "category": "RH", "question": "Comment poser un congé ?", "alternatives": ["Je veux poser des vacances", "poser un jour de congé"], "messages": [{"type": "text", "text": "Sur le portail RH."}, {"type": "image", "url": "https://intranet/conges.png"}, {"type": "buttons", "buttons": [{"title": "Ouvrir le portail", "url": "https://rh"}, {"title": "Les RTT", "item": "rtt"}]}]},
         {"id": "rtt", "category": "RH", "question": "Combien de RTT ai-je ?", "alternatives": ["nombre de jours de RTT"], "messages": [{"type": "text", "text": "12 jours par an."}]},
         {"id": "badge", "category": "Sécurité", "question": "J'ai perdu mon badge", "alternatives": ["badge perdu", "mon badge ne marche plus"], "answer": "Appelez l'accueil."}
        ]}
        JSON;

    public const TEMPLATE_HEADER = "ID;Catégorie;Question;Type de réponse;Réponse(s);;Questions synonymes (à séparer par un point-virgule ;)\n";

    /** Usine template: row 3 has no type, row 4 an image before any text, row 5 a new
     *  question without an ID (errors); row 6 has no category (a warning). */
    public const TEMPLATE_BAD = self::TEMPLATE_HEADER
        . "conges;RH;Comment poser un congé ?;Texte;Sur le portail RH.;;Je veux poser des vacances\n"
        . ";;;;Une réponse sans type;;\n"
        . "badge;Sécurité;J'ai perdu mon badge;Image;https://intranet/badge.png;;badge perdu\n"
        . ";;Une autre question sans ID;Texte;Une réponse;;\n"
        . "rtt;;Combien de RTT ai-je ?;Texte;12 jours par an.;;nombre de jours de RTT\n";

    /** A template that builds, with one warning: row 4 (rtt) has no category. */
    public const TEMPLATE_GOOD = self::TEMPLATE_HEADER
        . "conges;RH;Comment poser un congé ?;Texte;Sur le portail RH.;;Je veux poser des vacances; poser un congé\n"
        . ";;;Bouton;\"Les RTT <rtt>; Le portail <https://rh>\";;\n"
        . "rtt;;Combien de RTT ai-je ?;Texte;12 jours par an.;;nombre de jours de RTT\n";

    public const QUESTIONS = [
        'comment poser des congés',
        "J'ai perdu mon badge !",
        'quand est-ce que le salaire est versé ?',
        'jours de télétravail',
        'je voudrais des vacances',
        'mutuelle',
        'quelle est la couleur du ciel',
        '',
        '🙂 émoji et accents : élève, cœur, naïve',
        'badge badge badge badge',
    ];

    public readonly string $dir;

    public function __construct()
    {
        $this->dir = sys_get_temp_dir() . '/chatbot-php-' . bin2hex(random_bytes(6));
        mkdir($this->dir);
    }

    public function write(string $name, string $content): string
    {
        $path = $this->dir . '/' . $name;
        file_put_contents($path, $content);
        return $path;
    }

    public function tsv(): string
    {
        return $this->write('faq.tsv', self::TSV);
    }

    public function csv(): string
    {
        return $this->write('faq.csv', self::CSV);
    }

    public function json(): string
    {
        return $this->write('faq.json', self::JSON);
    }

    public function rich(): string
    {
        return $this->write('rh.json', self::RICH);
    }

    public function templateBad(): string
    {
        return $this->write('usine_erreurs.csv', self::TEMPLATE_BAD);
    }

    public function templateGood(): string
    {
        return $this->write('usine.csv', self::TEMPLATE_GOOD);
    }

    public function synonyms(): string
    {
        return $this->write('synonymes.txt', self::SYNONYMS);
    }

    /** An index compiled from the TSV base. */
    public function index(): string
    {
        $path = $this->dir . '/faq.cbindex';
        $engine = Engine::build($this->tsv());
        $engine->save($path);
        $engine->close();
        return $path;
    }

    public function remove(): void
    {
        $items = new \RecursiveIteratorIterator(
            new \RecursiveDirectoryIterator($this->dir, \FilesystemIterator::SKIP_DOTS),
            \RecursiveIteratorIterator::CHILD_FIRST
        );
        foreach ($items as $item) {
            $item->isDir() && !$item->isLink() ? rmdir($item->getPathname()) : unlink($item->getPathname());
        }
        rmdir($this->dir);
    }
}
