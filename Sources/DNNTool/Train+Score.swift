import DNN
import Foundation

extension Train {
    /// The line that scores the trained model on `set` ("Train accuracy: 0.98"; for regression
    /// R², RMSE and MAE averaged over the targets; for labels the subset accuracy and Hamming
    /// loss). With `communicator`, over every process's shard: the sums behind each figure are added.
    /// Also the model's decisions on this process's examples (class indices, or 0/1 labels).
    func score(_ model: DeepNeuralNetwork, _ set: Dataset, _ name: String, _ communicator: Communicator?) throws
        -> (line: String, decisions: Matrix)
    {
        let (outputs, decisions) = try model.predict(set.features)
        let Y = set.Y, m = Y.cols
        switch model.task.kind {
        case .classification:
            var counts = [Double(zip(decisions.scalars, Y.scalars).filter { $0 == $1 }.count), Double(m)]
            try communicator?.sum(&counts, count: 2)
            return ("\(name) accuracy: \(counts[0] / counts[1])", decisions)
        case .multilabel:
            let right = (0..<m).filter { j in (0..<Y.rows).allSatisfy { decisions[$0, j] == Y[$0, j] } }.count
            let wrong = zip(decisions.scalars, Y.scalars).filter { $0 != $1 }.count
            var counts = [Double(right), Double(wrong), Double(m)]
            try communicator?.sum(&counts, count: 3)
            let line =
                "\(name) subset accuracy: \(counts[0] / counts[2]), Hamming loss: "
                + String(format: "%.6f", counts[1] / (counts[2] * Double(Y.rows)))
            return (line, decisions)
        case .regression:
            // Per target: Σ(y − ŷ)², Σ|y − ŷ|, Σy, Σy², then m.
            var sums = [Double](repeating: 0, count: 4 * Y.rows + 1)
            for k in 0..<Y.rows {
                for j in 0..<m {
                    let (y, error) = (Y[k, j], Y[k, j] - outputs[k, j])
                    sums[4 * k] += error * error
                    sums[4 * k + 1] += abs(error)
                    sums[4 * k + 2] += y
                    sums[4 * k + 3] += y * y
                }
            }
            sums[4 * Y.rows] = Double(m)
            try communicator?.sum(&sums, count: sums.count)
            let total = sums.last!
            var r2 = [Double](), rmse = 0.0, mae = 0.0
            for k in 0..<Y.rows {
                let variance = sums[4 * k + 3] - sums[4 * k + 2] * sums[4 * k + 2] / total
                if variance > 0 { r2.append(1 - sums[4 * k] / variance) }
                rmse += (sums[4 * k] / total).squareRoot() / Double(Y.rows)
                mae += sums[4 * k + 1] / total / Double(Y.rows)
            }
            let r2Text = r2.isEmpty ? "-" : String(format: "%.6f", r2.reduce(0, +) / Double(r2.count))
            return (
                "\(name) R²: \(r2Text), RMSE: \(String(format: "%.6g", rmse)), MAE: \(String(format: "%.6g", mae))",
                decisions
            )
        }
    }

    /// The run as one JSON object (`--json`): the task, examples, passes, the last pass's cost,
    /// the seconds of training, each data set's scores (`ModelEvaluation.scores`), the stop
    /// reason and the model file written. Keys sorted; null where a figure is undefined.
    func summary(
        _ model: DeepNeuralNetwork, _ sets: TrainingData, _ elapsed: Double, preset: Preset, warnings: [String],
        timings: [String: Double]
    ) throws -> Data {
        func scores(_ set: Dataset?) throws -> Any {
            guard let set else { return NSNull() }
            let pairs = try ModelEvaluation(model: model, data: set).scores
            return Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, jsonNumber($0.value)) })
        }
        let training = model.training!
        let object: [String: Any] = [
            "task": ["kind": model.task.kind.rawValue, "names": model.task.names],
            "layers": model.layerSizes, "examples": sets.train.exampleCount, "passes": training.iterations,
            "final_cost": jsonNumber(training.history?.last ?? training.costs.last?.cost), "seconds": elapsed,
            "train": try scores(sets.train), "validation": try scores(sets.validation), "test": try scores(sets.test),
            "stopped": training.stopReason.map { $0 as Any } ?? NSNull(),
            "model": outputs.output.map { $0 as Any } ?? NSNull(),
            "preset": resume == nil ? preset.rawValue as Any : NSNull(), "warnings": warnings, "timings": timings,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
