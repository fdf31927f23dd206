import ArgumentParser
import DNN
import Foundation

/// Hidden layers written as a comma-separated list of sizes, each with an optional activation
/// and `bn` for batch normalisation: `20,7,5`, `20:tanh,7:relu,5:leaky-relu(0.2)` or
/// `64:relu:bn,32:relu`.
struct HiddenLayers: ExpressibleByArgument, CustomStringConvertible {
    let sizes: [Int]
    /// The activation written after each size, if any (checked by `layers(default:)`).
    let activationNames: [String?]
    /// Whether each layer is written with `:bn`.
    let normalized: [Bool]

    init(sizes: [Int], activationNames: [String?], normalized: [Bool]? = nil) {
        self.sizes = sizes
        self.activationNames = activationNames
        self.normalized = normalized ?? sizes.map { _ in false }
    }

    /// These layers without the first and the last (`--layer-dims`' input and output).
    var inner: HiddenLayers {
        HiddenLayers(
            sizes: Array(sizes.dropFirst().dropLast()), activationNames: Array(activationNames.dropFirst().dropLast()),
            normalized: Array(normalized.dropFirst().dropLast()))
    }

    init?(argument: String) {
        let fields = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var sizes = [Int](), names = [String?](), normalized = [Bool]()
        for field in fields {
            let parts = field.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let size = Int(parts[0]), size > 0 else { return nil }
            let rest = parts.dropFirst()
            let activations = rest.filter { $0 != "bn" }
            guard activations.count <= 1, rest.filter({ $0 == "bn" }).count <= 1 else { return nil }
            sizes.append(size)
            names.append(activations.first)
            normalized.append(rest.contains("bn"))
        }
        guard !argument.isEmpty else { return nil }
        self.sizes = sizes
        self.activationNames = names
        self.normalized = normalized
    }

    var description: String {
        (0..<sizes.count).map { i in
            "\(sizes[i])" + (activationNames[i].map { ":\($0)" } ?? "") + (normalized[i] ? ":bn" : "")
        }.joined(separator: ",")
    }

    /// The layers, each with its own activation or `activation`, batch-normalised where written
    /// `:bn` or everywhere with `batchNorm`; a name that is not an activation is a usage error
    /// naming it.
    func layers(default activation: Activation, batchNorm: Bool = false) throws -> [Layer] {
        try (0..<sizes.count).map { i in
            let normalization = batchNorm || normalized[i] ? BatchNormalization() : nil
            guard let name = activationNames[i] else {
                return Layer(units: sizes[i], activation: activation, batchNorm: normalization)
            }
            do {
                return Layer(units: sizes[i], activation: try Activation(parsing: name), batchNorm: normalization)
            } catch let error as DNNError {
                throw ValidationError("--layers \(description): \(error.message)")
            }
        }
    }
}
