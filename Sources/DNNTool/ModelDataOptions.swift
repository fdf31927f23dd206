import ArgumentParser
import DNN

/// How a data file's columns meet a model's features.
enum ColumnMatching: String, ExpressibleByArgument, CaseIterable {
    /// The file's feature columns must be the model's, in the model's order.
    case exact
    /// Columns are picked by name, in the model's order; others are left out.
    case byName = "by-name"
}

/// What `predict` and `evaluate` share: the model, the column matching, the decision threshold.
struct ModelDataOptions: ParsableArguments {
    @Option(help: "The model file (written by `dnn train --output`).")
    var model: String

    @Option(
        help: ArgumentHelp(
            "How the data's columns meet the model's features: exact (same names, same order) or by-name.",
            discussion:
                "A model trained on a CSV file keeps its column names; data in another order is refused unless matched by name."
        ))
    var matchColumns: ColumnMatching = .exact

    @Option(help: "For a two-class model: predict class 1 when its probability is above this (default 0.5).")
    var threshold = 0.5

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold \(threshold): must be in [0, 1]") }
    }

    /// The data's features in the model's order, checked against it.
    func features(_ data: Dataset, for network: DeepNeuralNetwork, source: String) throws -> Matrix {
        let X = try network.aligned(data, byName: matchColumns == .byName, source: source)
        try network.checkInput(X, source: source)
        return X
    }
}
