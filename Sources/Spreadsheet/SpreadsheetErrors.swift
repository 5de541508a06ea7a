import ChatbotErrors

/// Why a workbook could not be read: kind `invalidSource`, a `message` written in French for
/// the HR staff who upload the file, and a stable `code` for programs (e.g. "zip_truncated",
/// "encrypted", "too_many_rows").
extension ChatbotError {
    public static func spreadsheet(code: String, message: String) -> ChatbotError {
        ChatbotError(.invalidSource, message, code: code)
    }

    /// Errors about the container itself share one opening so users recognise them.
    static func unreadable(_ code: String, _ detail: String) -> ChatbotError {
        ChatbotError.spreadsheet(code: code, message:
            "Le fichier n'est pas un classeur Excel (.xlsx) ou LibreOffice (.ods) lisible : \(detail).")
    }

    static func damaged(_ code: String, _ detail: String) -> ChatbotError {
        ChatbotError.spreadsheet(code: code, message: "Le classeur est endommagé : \(detail).")
    }

    static let zipTruncated = unreadable("zip_truncated", "archive zip tronquée")

    static func zipMalformed(_ detail: String) -> ChatbotError {
        unreadable("zip_malformed", "archive zip endommagée (\(detail))")
    }

    static let zip64 = ChatbotError.spreadsheet(code: "zip64", message:
        "Le fichier utilise le format d'archive zip64, qui n'est pas pris en charge. "
        + "Enregistrez le classeur à nouveau au format .xlsx ou .ods, avec moins de données.")

    static let encryptedOLE = ChatbotError.spreadsheet(code: "encrypted", message:
        "Le fichier est protégé par un mot de passe, ou enregistré dans l'ancien format Excel 97-2003 (.xls). "
        + "Ouvrez-le dans Excel et enregistrez-le au format .xlsx sans mot de passe.")

    static let encryptedMember = ChatbotError.spreadsheet(code: "encrypted", message:
        "Le fichier contient des éléments chiffrés (protégés par un mot de passe). "
        + "Enregistrez le classeur au format .xlsx sans mot de passe.")

    static let encryptedODS = ChatbotError.spreadsheet(code: "encrypted", message:
        "Le classeur LibreOffice est protégé par un mot de passe. "
        + "Enregistrez-le sans mot de passe (au format .ods ou .xlsx).")

    static let zipBomb = ChatbotError.spreadsheet(code: "zip_bomb", message:
        "Le fichier est anormalement compressé (il pourrait s'agir d'une « bombe de décompression ») : il a été refusé.")

    static func tooLarge(_ limit: Int) -> ChatbotError {
        ChatbotError.spreadsheet(code: "too_large", message:
            "Le classeur est trop volumineux une fois décompressé (plus de \(megabytes(limit)) Mo).")
    }

    static func fileTooLarge(_ size: Int, _ limit: Int) -> ChatbotError {
        ChatbotError.spreadsheet(code: "file_too_large", message:
            "Le fichier est trop volumineux (\(megabytes(size)) Mo, maximum \(megabytes(limit)) Mo).")
    }

    static func tooManyRows(_ limit: Int) -> ChatbotError {
        ChatbotError.spreadsheet(code: "too_many_rows", message:
            "La feuille contient trop de lignes remplies (plus de \(grouped(limit))).")
    }

    static func tooManyColumns(_ limit: Int) -> ChatbotError {
        ChatbotError.spreadsheet(code: "too_many_columns", message:
            "La feuille contient des cellules remplies au-delà de la colonne n° \(grouped(limit)).")
    }

    static func tooManyCells(_ limit: Int) -> ChatbotError {
        ChatbotError.spreadsheet(code: "too_many_cells", message:
            "La feuille contient trop de cellules remplies (plus de \(grouped(limit))).")
    }

    static let sheetMissing = ChatbotError.spreadsheet(code: "sheet_missing", message:
        "Le classeur ne contient aucune feuille de calcul lisible.")

    /// Whole megabytes, rounded up, so a limit is never shown as "0 Mo".
    private static func megabytes(_ bytes: Int) -> Int { (bytes + (1 << 20) - 1) >> 20 }

    /// "100 000": French thousands grouping (plain space, to stay ASCII-safe in logs).
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(" ") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }
}
