import ArgumentParser
import DNN
import Foundation

/// The settings a command leaves out, filled in one of two ways.
///
/// - `course`: the course's L-layer model as its notebooks train it: [20, 7, 5] ReLU, full-batch
///   gradient descent at α 0.0075 for 2500 iterations, features as they are. Every number the
///   course prints comes from these.
/// - `tabular`: what a table of mixed, unscaled columns needs (scikit-learn's MLP defaults where
///   they fit): standardised features, [64, 32] ReLU with He's first weights, Adam at α 0.001 on
///   mini-batches of min(200, m), at most 500 epochs, stopped after 20 epochs without a better
///   cost on a stratified 10% held out (the best parameters kept).
///
/// A flag given always wins over its preset's value.
enum Preset: String, ExpressibleByArgument, CaseIterable {
    case course, tabular

    /// The hidden layers when neither --layers nor --layer-dims is given.
    var hiddenLayers: HiddenLayers {
        HiddenLayers(argument: self == .course ? "20,7,5" : "64,32")!
    }

    /// The first weights' scheme when --init is not given.
    var initialization: InitializationScheme { self == .course ? .course : .he }

    /// The learning rate when --learning-rate is not given.
    var learningRate: Double { self == .course ? 0.0075 : 0.001 }

    /// The optimiser's name when --optimizer is not given.
    var optimizer: String { self == .course ? "gd" : "adam" }

    /// Whether features are standardised when neither --standardize nor --no-standardize is given.
    var standardizes: Bool { self == .tabular }

    /// The mini-batch size for `examples` training examples when --mini-batch-size is not given
    /// (nil: full batches).
    func miniBatchSize(examples: Int) -> Int? { self == .course ? nil : max(1, min(200, examples)) }

    /// The passes when neither --iterations nor --epochs is given: iterations for full batches,
    /// epochs for mini-batches.
    var passes: Int { self == .course ? 2500 : 500 }

    /// The fraction held out for validation when neither --validation nor --validation-fraction
    /// is given, for data of `examples` examples (none below 20: too few to hold any out).
    func validationFraction(examples: Int) -> Double? { self == .tabular && examples >= 20 ? 0.1 : nil }

    /// Early stopping's patience, in passes, when validation data is watched and
    /// --early-stopping is not given.
    var patience: Int? { self == .tabular ? 20 : nil }

    /// A line that says what the preset sets, for the note that names it.
    var summary: String {
        switch self {
        case .course: "[20, 7, 5] ReLU, gradient descent at α 0.0075 for 2500 iterations, features as they are"
        case .tabular:
            "standardised, [64, 32] ReLU, Adam at α 0.001 on batches of up to 200, early stopping on 10% held out"
        }
    }

    /// The preset for a command on the data at `path` (nil: the built-in flower data): `given`
    /// when a --preset was given; else `tabular` for a CSV or TSV file unless the command sets a
    /// flag of the course's full-batch gradient descent (`setsCourseFlag`: --learning-rate or
    /// --iterations, with which the course's next part runs its CSV data) or resumes or is
    /// distributed; `course` for everything else (the course's HDF5 pictures, the flower data).
    /// Also says why when it chose `tabular`, for the note that tells the user (the course's runs
    /// print what they always printed).
    static func choose(
        _ given: Preset?, data path: String?, setsCourseFlag: Bool, resuming: Bool = false,
        distributed: Bool = false
    ) -> (preset: Preset, reason: String?) {
        if let given { return (given, nil) }
        guard let path, Dataset.isTable(path) else { return (.course, nil) }
        if setsCourseFlag || resuming || distributed { return (.course, nil) }
        return (.tabular, "table data")
    }
}
