import DNN
import Foundation

/// The one-line warnings about a training that ran but may not have learned: too few examples of
/// a class, a model that predicts one class for everything, a cost still falling at the end.
enum TrainingWarnings {
    /// Fewer examples than this in a class: too few to learn it or to score it reliably.
    static let fewestExamplesPerClass = 5

    /// A cost that fell by more than this fraction over the last tenth of the passes, and by more
    /// than `smallestFall` (scikit-learn's `tol`: a cost near 0 falls by large fractions of
    /// nothing), had not settled yet.
    static let stillFalling = 0.01
    static let smallestFall = 1e-4

    /// The classes of `set` (classification) with fewer than `fewestExamplesPerClass` examples,
    /// named with their counts; nil when there are none.
    static func smallClasses(_ set: Dataset, source: String) -> String? {
        guard set.task.kind == .classification else { return nil }
        var counts = [Int](repeating: 0, count: set.classCount)
        for y in set.Y.scalars { counts[Int(y)] += 1 }
        let small = counts.indices.filter { counts[$0] > 0 && counts[$0] < fewestExamplesPerClass }
        guard !small.isEmpty else { return nil }
        let listed = small.prefix(5).map { "'\(set.classNames[$0])' (\(counts[$0]))" }.joined(separator: ", ")
        let more = small.count > 5 ? " and \(small.count - 5) more" : ""
        return "\(source): class\(small.count == 1 ? "" : "es") \(listed)\(more) "
            + "\(small.count == 1 ? "has" : "have") fewer than \(fewestExamplesPerClass) examples: too few to learn or score reliably"
    }

    /// When `model` (a classifier), whose `decisions` on `set` are given (1×m class indices),
    /// predicts one class for every example of `set` that holds two classes or more: a
    /// majority-class predictor, with what usually cures it.
    static func oneClass(_ model: DeepNeuralNetwork, _ set: Dataset, decisions: Matrix) -> String? {
        guard model.task.kind == .classification, set.classesPresent.count >= 2 else { return nil }
        let predicted = Set(decisions.scalars.map { Int($0) })
        guard predicted.count == 1, let only = predicted.first else { return nil }
        // Pictures are scaled already (bytes / 255); unscaled table features are the usual cause.
        let advice =
            model.standardization == nil && model.inputShape == nil
            ? "standardise the features (--standardize) or try --preset tabular"
            : "try another learning rate or more passes"
        return "the model predicts '\(model.task.names[only])' for every training example; \(advice)"
    }

    /// When the cost of the last `passes` passes of `record` (their `unit`s) still fell by more
    /// than `stillFalling` (and `smallestFall`) over their last tenth (the mean of the last tenth against the tenth
    /// before it, so that mini-batches' noise does not count) and training ran them all.
    static func notConverged(_ record: TrainingRecord, passes: Int, unit: String) -> String? {
        guard record.stopReason == nil, let history = record.history, passes >= 20, history.count >= passes
        else { return nil }
        let run = history.suffix(passes)
        let tenth = passes / 10
        let last = run.suffix(tenth), before = run.dropLast(tenth).suffix(tenth)
        let (meanLast, meanBefore) = (mean(last), mean(before))
        guard meanBefore.isFinite, meanLast.isFinite, meanBefore > 0 else { return nil }
        let fall = (meanBefore - meanLast) / meanBefore
        guard fall > stillFalling, meanBefore - meanLast > smallestFall else { return nil }
        let flag = unit == "epoch" ? "--epochs" : "--iterations"
        return String(format: "the cost still fell %.1f%%", 100 * fall)
            + " over the last \(tenth) \(unit)s: training has not converged; train longer (\(flag)) or with a larger learning rate"
    }

    private static func mean<C: Collection<Double>>(_ values: C) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
