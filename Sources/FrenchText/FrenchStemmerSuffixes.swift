// The suffix lists of the Snowball French algorithm (3.0 – 3.1.1), with what each one does.
// Upper-case letters inside suffixes are the prelude's markers (`iqUe` is "ique" whose `u`
// follows `q`; `aIent` is "aient" whose `i` sits between vowels).

/// Step 1: standard suffixes.
enum StandardSuffix: UInt8, Sendable {
    /// ance iqUe isme able iste eux (and plurals): delete if in R2.
    case deleteInR2
    /// atrice ateur ation (and plurals): delete if in R2, then handle a preceding `ic`.
    case ation
    /// logie(s): replace with `log` if in R2.
    case logie
    /// usion ution (and plurals): replace with `u` if in R2.
    case ution
    /// ence(s): replace with `ent` if in R2.
    case ence
    /// ement(s): delete if in RV, then look at what preceded it (iv, eus, abl, iqU, ièr).
    case ement
    /// ité(s): delete if in R2, then look at what preceded it (abil, ic, iv).
    case ite
    /// if ive ifs ives: delete if in R2, then a preceding `at`, then `ic`.
    case ive
    /// eaux: replace with `eau`.
    case eaux
    /// aux: replace with `al` if in R1.
    case aux
    /// oux: replace with `ou` after b h j l n p (bijoux, genoux; not doux, roux).
    case oux
    /// euse(s): delete if in R2, else replace with `eux` if in R1.
    case euse
    /// issement(s): delete if in R1 and preceded by a non-vowel.
    case issement
    /// amment: replace with `ant` if in RV; then step 2 still runs.
    case amment
    /// emment: replace with `ent` if in RV; then step 2 still runs.
    case emment
    /// ment(s): delete if preceded by a vowel in RV; then step 2 still runs.
    case ment
}

/// What may precede a deleted `-ement(s)`.
enum AfterEment: UInt8, Sendable {
    /// iv: delete if in R2, and then a preceding `at` if in R2.
    case iv
    /// eus: delete if in R2, else replace with `eux` if in R1.
    case eus
    /// abl iqU: delete if in R2.
    case deleteInR2
    /// ièr Ièr: replace with `i` if in RV.
    case ier
}

/// What may precede a deleted `-ité(s)`.
enum AfterIte: UInt8, Sendable {
    /// abil: delete if in R2, else replace with `abl`.
    case abil
    /// ic: delete if in R2, else replace with `iqU`.
    case ic
    /// iv: delete if in R2.
    case iv
}

/// Step 2a: verb suffixes beginning with `i` (finir, finissons …). One action.
enum IVerbSuffix: UInt8, Sendable {
    /// Delete if preceded by a non-vowel that is not the `H` of a diaeresis (all in RV).
    case deleteAfterConsonant
}

/// Step 2b: other verb suffixes.
enum VerbSuffix: UInt8, Sendable {
    /// ions: delete if in R2.
    case ions
    /// é ée ées és er era erai … ez iez: delete.
    case delete
    /// a ai ait ant âmes … assiez: delete, with a preceding `e` if that is in RV.
    case deleteWithE
    /// ais aise aises: delete unless the word is X+`al`, or `épl`/`auv` precede (palais, mauvais).
    case ais
}

/// Stems before `-ais`/`-aise(s)` that keep the suffix.
enum AisException: UInt8, Sendable {
    /// al: only when exactly one letter comes before it (palais, balais; not "normalais").
    case al
    /// épl auv: always (déplaise, mauvais).
    case always
}

/// Step 4: residual suffixes, searched in RV.
enum ResidualSuffix: UInt8, Sendable {
    /// ion: delete if in R2 and preceded by `s` or `t`.
    case ion
    /// ier ière Ier Ière: replace with `i`.
    case ier
    /// e: delete.
    case e
}

/// Step 5 endings whose last consonant is doubled (ancienne → ancien).
enum DoubledEnding: UInt8, Sendable {
    case undouble
}

/// The tables, built once per process.
enum FrenchSuffixes {
    static let standard = SuffixTable<StandardSuffix>([
        "ance": .deleteInR2, "iqUe": .deleteInR2, "isme": .deleteInR2, "able": .deleteInR2,
        "iste": .deleteInR2, "eux": .deleteInR2, "ances": .deleteInR2, "iqUes": .deleteInR2,
        "ismes": .deleteInR2, "ables": .deleteInR2, "istes": .deleteInR2,
        "atrice": .ation, "ateur": .ation, "ation": .ation,
        "atrices": .ation, "ateurs": .ation, "ations": .ation,
        "logie": .logie, "logies": .logie,
        "usion": .ution, "ution": .ution, "usions": .ution, "utions": .ution,
        "ence": .ence, "ences": .ence,
        "ement": .ement, "ements": .ement,
        "ité": .ite, "ités": .ite,
        "if": .ive, "ive": .ive, "ifs": .ive, "ives": .ive,
        "eaux": .eaux,
        "aux": .aux,
        "oux": .oux,
        "euse": .euse, "euses": .euse,
        "issement": .issement, "issements": .issement,
        "amment": .amment,
        "emment": .emment,
        "ment": .ment, "ments": .ment,
    ])

    static let afterEment = SuffixTable<AfterEment>([
        "iv": .iv, "eus": .eus, "abl": .deleteInR2, "iqU": .deleteInR2, "ièr": .ier, "Ièr": .ier,
    ])

    static let afterIte = SuffixTable<AfterIte>([
        "abil": .abil, "ic": .ic, "iv": .iv,
    ])

    static let iVerb = SuffixTable<IVerbSuffix>([
        "îmes": .deleteAfterConsonant, "ît": .deleteAfterConsonant, "îtes": .deleteAfterConsonant,
        "i": .deleteAfterConsonant, "ie": .deleteAfterConsonant, "ies": .deleteAfterConsonant,
        "ir": .deleteAfterConsonant, "ira": .deleteAfterConsonant, "irai": .deleteAfterConsonant,
        "iraIent": .deleteAfterConsonant, "irais": .deleteAfterConsonant, "irait": .deleteAfterConsonant,
        "iras": .deleteAfterConsonant, "irent": .deleteAfterConsonant, "irez": .deleteAfterConsonant,
        "iriez": .deleteAfterConsonant, "irions": .deleteAfterConsonant, "irons": .deleteAfterConsonant,
        "iront": .deleteAfterConsonant, "is": .deleteAfterConsonant, "issaIent": .deleteAfterConsonant,
        "issais": .deleteAfterConsonant, "issait": .deleteAfterConsonant, "issant": .deleteAfterConsonant,
        "issante": .deleteAfterConsonant, "issantes": .deleteAfterConsonant, "issants": .deleteAfterConsonant,
        "isse": .deleteAfterConsonant, "issent": .deleteAfterConsonant, "isses": .deleteAfterConsonant,
        "issez": .deleteAfterConsonant, "issiez": .deleteAfterConsonant, "issions": .deleteAfterConsonant,
        "issons": .deleteAfterConsonant, "it": .deleteAfterConsonant,
    ])

    static let verb = SuffixTable<VerbSuffix>([
        "ions": .ions,
        "é": .delete, "ée": .delete, "ées": .delete, "és": .delete, "èrent": .delete,
        "er": .delete, "era": .delete, "erai": .delete, "eraIent": .delete, "erais": .delete,
        "erait": .delete, "eras": .delete, "erez": .delete, "eriez": .delete, "erions": .delete,
        "erons": .delete, "eront": .delete, "ez": .delete, "iez": .delete, "eais": .delete,
        "âmes": .deleteWithE, "ât": .deleteWithE, "âtes": .deleteWithE, "a": .deleteWithE,
        "ai": .deleteWithE, "aIent": .deleteWithE, "ait": .deleteWithE, "ant": .deleteWithE,
        "ante": .deleteWithE, "antes": .deleteWithE, "ants": .deleteWithE, "as": .deleteWithE,
        "asse": .deleteWithE, "assent": .deleteWithE, "asses": .deleteWithE, "assiez": .deleteWithE,
        "assions": .deleteWithE,
        "ais": .ais, "aise": .ais, "aises": .ais,
    ])

    static let aisException = SuffixTable<AisException>([
        "al": .al, "épl": .always, "auv": .always,
    ])

    static let residual = SuffixTable<ResidualSuffix>([
        "ion": .ion, "ier": .ier, "ière": .ier, "Ier": .ier, "Ière": .ier, "e": .e,
    ])

    static let doubled = SuffixTable<DoubledEnding>([
        "enn": .undouble, "onn": .undouble, "ett": .undouble, "ell": .undouble, "eill": .undouble,
    ])
}
