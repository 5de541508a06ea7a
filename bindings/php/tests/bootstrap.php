<?php

declare(strict_types=1);

$autoload = __DIR__ . '/../vendor/autoload.php';
if (!is_file($autoload)) {
    fwrite(STDERR, "vendor/autoload.php is missing: run `composer dump-autoload` in bindings/php (offline is fine)\n");
    exit(1);
}
$loader = require $autoload;
// The test helpers (not part of the package's autoload: composer's dev mode depends on the
// last `composer install`, which never runs offline).
$loader->addPsr4('Chatbot\\Tests\\', __DIR__);

// Every error, including PHP warnings and notices, fails the test that raised it.
error_reporting(E_ALL);
