import ChatbotErrors
/// Reads the first worksheet of an Office Open XML workbook.
enum XLSXReader {
    static func read(_ members: MemberReader) throws(ChatbotError) -> Sheet {
        let archive = members.archive
        guard let workbookEntry = archive.entry(named: "xl/workbook.xml") else {
            throw .unreadable("not_a_workbook", "l'archive ne contient pas de classeur Excel (xl/workbook.xml manquant)")
        }
        let workbook = XLSXWorkbookHandler()
        try parse(members, workbookEntry, workbook)

        let relationships = XLSXRelationshipsHandler()
        if let entry = archive.entry(named: "xl/_rels/workbook.xml.rels") {
            try parse(members, entry, relationships)
        }
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let id = workbook.firstSheetRelationship, let target = relationships.targetById[id] {
            let resolved = XLSXRelationshipsHandler.resolve(target)
            if archive.entry(named: resolved) != nil { sheetPath = resolved }
        }
        guard let sheetEntry = archive.entry(named: sheetPath) else { throw .sheetMissing }

        // Shared strings and styles are optional (e.g. a sheet of inline strings and numbers).
        let sharedStrings = XLSXSharedStringsHandler()
        let stringsPath = relationships.targetByTypeSuffix["sharedStrings"].map { XLSXRelationshipsHandler.resolve($0) }
        if let entry = archive.entry(named: stringsPath ?? "xl/sharedStrings.xml") ?? archive.entry(named: "xl/sharedStrings.xml") {
            try parse(members, entry, sharedStrings)
        }
        let styles = XLSXStylesHandler()
        let stylesPath = relationships.targetByTypeSuffix["styles"].map { XLSXRelationshipsHandler.resolve($0) }
        if let entry = archive.entry(named: stylesPath ?? "xl/styles.xml") ?? archive.entry(named: "xl/styles.xml") {
            try parse(members, entry, styles)
        }

        let worksheet = XLSXWorksheetHandler(
            builder: SheetBuilder(limits: members.limits), sharedStrings: sharedStrings.strings,
            dateStyles: styles.dateStyles, date1904: workbook.date1904)
        try stream(members, sheetEntry, worksheet)
        return worksheet.builder.finish(name: workbook.firstSheetName ?? "")
    }

    static func parse(_ members: MemberReader, _ entry: ZipEntry, _ handler: XMLEventHandler) throws(ChatbotError) {
        let bytes = try members.read(entry)
        try XMLEventParser(handler: handler, documentName: entry.name).parse(bytes)
    }

    /// Inflates and parses together, so a huge sheet stops as soon as a limit is hit.
    static func stream(_ members: MemberReader, _ entry: ZipEntry, _ handler: XMLEventHandler) throws(ChatbotError) {
        let parser = try XMLEventParser(handler: handler, documentName: entry.name)
        try members.stream(entry) { (chunk: UnsafeRawBufferPointer) throws(ChatbotError) -> Bool in
            try parser.feed(chunk, isFinal: false)
        }
        try parser.feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true)
    }
}
