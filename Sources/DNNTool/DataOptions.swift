import ArgumentParser
import DNN

/// Where the examples come from, shared by the commands that read data.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("label-column"), help: "The CSV column that holds the 0/1 labels.")
    var labelColumn = "label"

    func load(_ path: String) throws -> Dataset {
        try Dataset.load(path, labelColumn: labelColumn)
    }
}

/// Hidden layer sizes written as a comma-separated list: `20,7,5`.
struct HiddenLayers: ExpressibleByArgument, CustomStringConvertible {
    let sizes: [Int]

    init?(argument: String) {
        let fields = argument.split(separator: ",", omittingEmptySubsequences: false)
        let sizes = fields.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !argument.isEmpty, sizes.count == fields.count, sizes.allSatisfy({ $0 > 0 }) else { return nil }
        self.sizes = sizes
    }

    var description: String { sizes.map(String.init).joined(separator: ",") }
}

extension InitializationScheme: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
