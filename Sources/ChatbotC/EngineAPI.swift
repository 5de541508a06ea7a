#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CChatbotABI
import ChatbotErrors
import ChatbotEngine
import KnowledgeSources

/// Engine lifecycle and facts (`cb_engine_*`).

/// Checks an output pointer and clears it, so that it reads NULL whatever happens next.
@inline(__always)
func prepareOut<T>(_ out: UnsafeMutablePointer<T?>?, _ name: String) throws(ChatbotError) -> UnsafeMutablePointer<T?> {
    guard let out else { throw ChatbotError(.invalidArgument, "\(name) is NULL") }
    out.pointee = nil
    return out
}

@_cdecl("cb_engine_open")
public func cb_engine_open(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        let path = try requiredString(path, "path")
        out.pointee = try EngineHandle.make(Engine(contentsOf: path))
    }
}

@_cdecl("cb_engine_open_with_params")
public func cb_engine_open_with_params(_ path: UnsafePointer<CChar>?, _ params: UnsafePointer<cb_open_params>?,
                                       _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        let path = try requiredString(path, "path")
        out.pointee = try EngineHandle.make(Engine(contentsOf: path, loading: openLoading(params)))
    }
}

@_cdecl("cb_engine_verify")
public func cb_engine_verify(_ engine: UnsafeRawPointer?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        try EngineHandle.with(engine) { (box) throws(ChatbotError) in try box.engine.verify() }
    }
}

@_cdecl("cb_engine_open_memory")
public func cb_engine_open_memory(_ data: UnsafeRawPointer?, _ size: Int,
                                  _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        guard let data else { throw ChatbotError(.invalidArgument, "data is NULL") }
        // A size_t above Int.max arrives negative; no buffer can be that large.
        guard size > 0 else { throw ChatbotError(.invalidArgument, "size must be positive, got \(UInt(bitPattern: size))") }
        out.pointee = try EngineHandle.make(Engine(indexBytes: UnsafeRawBufferPointer(start: data, count: size)))
    }
}

@_cdecl("cb_engine_build")
public func cb_engine_build(_ sourcePath: UnsafePointer<CChar>?, _ synonymsPath: UnsafePointer<CChar>?,
                            _ out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        let source = try requiredString(sourcePath, "source_path")
        let synonyms = try optionalString(synonymsPath, "synonyms_path")
        let (engine, _) = try Engine.build(sourcePath: source, synonymsPath: synonyms)
        out.pointee = try EngineHandle.make(engine)
    }
}

@_cdecl("cb_engine_reload")
public func cb_engine_reload(_ engine: UnsafeMutableRawPointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let loading = try EngineHandle.with(engine) { box in box.engine.loading }
        let path = try requiredString(path, "path")
        // Open and verify first, outside any lock: a failure leaves the old index in place,
        // and a mapped file's damage is reported here rather than by the next question.
        let fresh = try Engine(contentsOf: path, loading: loading)
        try fresh.verify()
        try EngineHandle.reload(engine, with: fresh)
    }
}

@_cdecl("cb_engine_save")
public func cb_engine_save(_ engine: UnsafeRawPointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        try EngineHandle.with(engine) { (box) throws(ChatbotError) in
            let path = try requiredString(path, "path")
            try box.engine.save(to: path)
        }
    }
}

@_cdecl("cb_engine_free")
public func cb_engine_free(_ engine: UnsafeMutableRawPointer?) {
    guard let engine else { return }
    _ = withStatus { () throws(ChatbotError) in try EngineHandle.release(engine) }
}

@_cdecl("cb_engine_item_count")
public func cb_engine_item_count(_ engine: UnsafeRawPointer?, _ out: UnsafeMutablePointer<Int>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        guard let out else { throw ChatbotError(.invalidArgument, "out is NULL") }
        out.pointee = try EngineHandle.with(engine) { $0.engine.itemCount }
    }
}

@_cdecl("cb_engine_item_id")
public func cb_engine_item_id(_ engine: UnsafeRawPointer?, _ index: Int,
                              _ out: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let out = try prepareOut(out, "out")
        out.pointee = try EngineHandle.with(engine) { (box) throws(ChatbotError) in
            let n = box.engine.itemCount
            // A size_t above Int.max arrives negative.
            guard index >= 0, index < n else {
                throw ChatbotError(.invalidArgument, "item index \(UInt(bitPattern: index)) is out of range (the engine has \(n) items)")
            }
            return box.itemID(index)
        }
    }
}

@_cdecl("cb_engine_embedding_dimension")
public func cb_engine_embedding_dimension(_ engine: UnsafeRawPointer?, _ out: UnsafeMutablePointer<Int>?) -> Int32 {
    withStatus { () throws(ChatbotError) in
        guard let out else { throw ChatbotError(.invalidArgument, "out is NULL") }
        out.pointee = try EngineHandle.with(engine) { $0.engine.embeddingDimension }
    }
}

@_cdecl("cb_export_template")
public func cb_export_template(_ inputPath: UnsafePointer<CChar>?, _ outputPath: UnsafePointer<CChar>?, _ overwrite: Int32) -> Int32 {
    withStatus { () throws(ChatbotError) in
        let input = try requiredString(inputPath, "source_or_index_path")
        let output = try requiredString(outputPath, "output_path")
        try TemplateExport.export(input, to: output, overwrite: overwrite != 0)
    }
}
