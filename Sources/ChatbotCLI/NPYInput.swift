import ChatbotErrors
import NPYFiles
import VectorSearch

/// Rows of a 2-D `.npy` file of embeddings (float32, float16 or float64, C order).
/// Malformed files are errors naming the file and the problem.
func readNPYRows(_ path: String) throws -> [[Float]] {
    let array: NPYArray
    do {
        array = try NPYArray(contentsOfFile: path)
    } catch {
        throw ChatbotError.usage("\(path): \(error)")
    }
    guard array.rows > 0, array.dim > 0 else { throw ChatbotError.usage("\(path): the array is empty") }
    return (0..<array.rows).map { r in Array(array.values[(r * array.dim)..<((r + 1) * array.dim)]) }
}
