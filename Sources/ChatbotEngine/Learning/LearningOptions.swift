import ChatbotErrors
/// How the item model is learned at build time. Stored in the index (the seed included),
/// so that a build can be reproduced bit for bit and a warm start can check compatibility.
public struct LearningOptions: Sendable, Equatable {
    /// Learns one vector per item and calibrates confidences. Off: the index matches by
    /// nearest-question cosine alone, as format version 1 did.
    public var enabled: Bool = true
    /// Seed of the example order and of the calibration folds.
    public var seed: UInt64 = 42
    /// Passes over the questions.
    public var epochs: Int = 6
    /// L2 penalty on the weights (per example step).
    public var l2: Float = 1e-5
    /// AdaGrad step size.
    public var learningRate: Float = 0.5
    /// Folds of the cross-validation that produces the calibration data; 0 (the default)
    /// chooses by size: `smallBaseFolds` up to `smallBaseQuestions` questions, 3 above.
    /// With few questions per item a fold model trained on two thirds of them is much weaker
    /// than the final model, and its calibrator was overconfident: MASSIVE with three
    /// questions per item answered at precision 0.870 with 3 folds, 0.968 with 10; five per
    /// item 0.881 → 0.929 (docs/accuracy.md, "Few-shot"). Large bases keep 3 folds: their fold
    /// models are close to the final one already, and 10 folds would triple the build.
    public var calibrationFolds: Int = 0
    public static let smallBaseFolds = 10
    public static let smallBaseQuestions = 2_000

    /// The folds a base of `questionCount` questions is calibrated with.
    func folds(questionCount: Int) -> Int {
        calibrationFolds != 0 ? calibrationFolds : questionCount <= Self.smallBaseQuestions ? Self.smallBaseFolds : 3
    }
    /// Bound on features × items stored in the learned matrix (float32 each). Larger bases
    /// keep only their most frequent features (see docs/accuracy.md, "Large bases").
    public var maxWeights: Int = 8_000_000
    /// Scale of a question's embedding (a unit vector) among the model's inputs, next to its
    /// unit TF-IDF vector, when the base has embeddings (the host's question vectors, or the
    /// engine's own from word vectors): the model then learns one weight row per embedding
    /// dimension too. With the host's vectors every question must then come with its vector.
    /// 0 keeps embeddings out of the model: they only enter the nearest-question cosine,
    /// where they barely move the ranking (+0.000 to +0.005 top-1, issue 12). The default, 2,
    /// was the best of 0, 2 and 4 with few questions per item (MASSIVE, one to five questions
    /// per item: with the e5 vectors 0.214 / 0.398 / 0.506 top-1, with the static word
    /// vectors 0.219 / 0.352 / 0.455; docs/accuracy.md, "Few-shot"). It is ignored by a base
    /// without embeddings.
    public var embeddingScale: Float = 2
    public static let recommendedEmbeddingScale: Float = 2
    /// `embeddingScale` for the engine's own embeddings, made from static word vectors. 0.5
    /// was the best of 0, 0.5, 1, 2 and 3 over MASSIVE, the Usine's NLU file and its small
    /// talk at one to five questions per item, and the only one that keeps the full-data
    /// figures (MASSIVE 0.855 top-1; 2 gave 0.840). docs/accuracy.md, "Few-shot".
    public var wordVectorScale: Float = 0.5

    public init() {}

    func validate() throws(ChatbotError) {
        guard (1...1000).contains(epochs) else { throw .invalidArgument("epochs must be between 1 and 1000, got \(epochs)") }
        guard l2.isFinite, l2 >= 0, l2 < 1 else { throw .invalidArgument("l2 must be in [0, 1), got \(l2)") }
        guard learningRate.isFinite, learningRate > 0, learningRate <= 100 else {
            throw .invalidArgument("learning rate must be in (0, 100], got \(learningRate)")
        }
        guard calibrationFolds == 0 || (2...20).contains(calibrationFolds) else {
            throw .invalidArgument("calibration folds must be between 2 and 20 (or 0: by the base's size), got \(calibrationFolds)")
        }
        guard embeddingScale.isFinite, embeddingScale >= 0, embeddingScale <= 100 else {
            throw .invalidArgument("embedding scale must be in [0, 100], got \(embeddingScale)")
        }
        guard wordVectorScale.isFinite, wordVectorScale >= 0, wordVectorScale <= 100 else {
            throw .invalidArgument("word vector scale must be in [0, 100], got \(wordVectorScale)")
        }
        guard maxWeights >= 1024 else { throw .invalidArgument("max weights must be at least 1024, got \(maxWeights)") }
    }
}
