import ChatbotEngine

@_cdecl("cb_version")
public func cb_version() -> UnsafePointer<CChar> {
    UnsafeRawPointer(versionCString).assumingMemoryBound(to: CChar.self)
}

nonisolated(unsafe) private let versionCString: UnsafeMutablePointer<CChar> = {
    let bytes = Array(EngineVersion.string.utf8CString)
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
    p.initialize(from: bytes, count: bytes.count)
    return p
}()
