import ArgumentParser
import DNN

/// How much each training example counts (see `DeepNeuralNetwork.train(_:_:weights:…)`): by its
/// class, by a column of the file, or both (their product).
struct WeightOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Weigh each class: balanced, or CLASS=W pairs (comma-separated; others weigh 1).",
            discussion:
                "balanced: m / (K · examples of the class), as scikit-learn's class_weight=\"balanced\", computed on the training rows."
        ))
    var classWeight: String?

    @Option(help: "A CSV column of each example's weight (numbers, 0 or more): not a feature.")
    var sampleWeightColumn: String?

    func validate() throws {
        guard let classWeight, classWeight != "balanced" else { return }
        _ = try Self.pairs(classWeight)
    }

    /// `CLASS=W,…` as (class name, weight) pairs; throws a usage error for a bad pair or weight.
    static func pairs(_ text: String) throws -> [(String, Double)] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--class-weight \(text): '\(pair)' is not CLASS=WEIGHT (or give balanced)")
            }
            guard let weight = Double(parts[1]), weight >= 0, weight.isFinite else {
                throw ValidationError(
                    "--class-weight \(text): the weight of '\(parts[0])' is '\(parts[1])'; weights are numbers of 0 or more"
                )
            }
            return (parts[0], weight)
        }
    }

    /// What the model's record says of the weighting, when there is one.
    var description: String? {
        let parts = [classWeight.map { "class weights \($0)" }, sampleWeightColumn.map { "column \($0)" }].compactMap {
            $0
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Each example of `set`'s weight, or nil when no weighting is asked: the class's weight
    /// times the weight column's; balanced class weights come from `training` when given (held-out
    /// data weighs its classes as training did). Throws a usage error for a class the data does not have, a
    /// classifier's weights on other targets, or weights that are all 0.
    func weights(for set: Dataset, classesFrom training: Dataset? = nil) throws -> [Double]? {
        guard classWeight != nil || sampleWeightColumn != nil else { return nil }
        var weights = set.sampleWeights ?? Array(repeating: 1, count: set.exampleCount)
        if let classWeight {
            guard set.task.kind == .classification else {
                throw ValidationError("--class-weight: the targets are a \(set.task.kind.rawValue)'s, not classes")
            }
            let labels = set.Y.scalars.map { Int($0) }
            var byClass = [Double](repeating: 1, count: set.classCount)
            if classWeight == "balanced" {
                // From the training rows, also for held-out data: one weight per class.
                let reference = (training ?? set).Y.scalars.map { Int($0) }
                let present = Set(reference).count
                for c in 0..<set.classCount {
                    let count = reference.filter { $0 == c }.count
                    byClass[c] = count == 0 ? 0 : Double(reference.count) / (Double(present) * Double(count))
                }
            } else {
                for (name, weight) in try Self.pairs(classWeight) {
                    guard let c = set.classNames.firstIndex(of: name) else {
                        throw ValidationError(
                            "--class-weight: no class '\(elided(name))' in the data (\(elided(set.classNames.joined(separator: ", "))))"
                        )
                    }
                    byClass[c] = weight
                }
            }
            weights = zip(weights, labels).map { $0 * byClass[$1] }
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw ValidationError("the weights of every training example are 0; at least one must count")
        }
        return weights
    }
}
