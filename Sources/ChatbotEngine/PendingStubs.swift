// TEMPORARY — deleted when the knowledge-base and synonyms work is merged.
import Glibc
public struct FileError: Error, CustomStringConvertible { public var description: String }
public func readFile(_ path: String) throws(FileError) -> [UInt8] {
    guard let f = fopen(path, "rb") else { throw FileError(description: "\(path): cannot open") }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true { let n = fread(&buf, 1, buf.count, f); if n == 0 { break }; out += buf[0..<n] }
    return out
}
public func writeFileAtomically(_ path: String, bytes: [UInt8]) throws(FileError) {
    guard let f = fopen(path, "wb") else { throw FileError(description: "\(path): cannot open") }
    defer { fclose(f) }
    _ = fwrite(bytes, 1, bytes.count, f)
}
public enum KnowledgeBaseLoader {
    public static func load(path: String) throws -> KnowledgeBase {
        let text = String(decoding: try readFile(path), as: UTF8.self)
        var order: [String] = []; var qs: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let p = line.split(separator: "\t", maxSplits: 1); let id = String(p[0])
            if qs[id] == nil { order.append(id) }
            qs[id, default: []].append(String(p[1]))
        }
        return KnowledgeBase(items: order.map { KnowledgeItem(id: $0, questions: qs[$0]!) })
    }
}
public struct SynonymTable: Sendable {
    public var groups: [[String]] = []
    public var isEmpty: Bool { groups.isEmpty }
    public init(groups: [[String]], analyze: (String) -> [String]) throws { self.groups = groups }
    public static func load(path: String, analyze: (String) -> [String]) throws -> SynonymTable {
        let text = String(decoding: try readFile(path), as: UTF8.self)
        return try SynonymTable(groups: text.split(separator: "\n").map { $0.split(separator: ";").map { String($0) } }, analyze: analyze)
    }
    public func apply(_ terms: [String]) -> [String] { terms }
}
