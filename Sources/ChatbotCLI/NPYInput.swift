import ChatbotEngine

/// Rows of a 2-D .npy file of embeddings.
func readNPYRows(_ path: String) throws -> [[Float]] {
    throw CLIError("TEMPORARY: .npy support lands with the vector module")
}
