/// A value known by its name alone (an activation, an output head): two are equal when their names
/// are, it prints as its name, and the model file stores the name and reads it back through the
/// registry behind `init(parsing:)`.
protocol NamedValue: Hashable, CustomStringConvertible, Codable {
    var name: String { get }
    /// The value `name` names; throws, naming it, for a name the registry does not know.
    init(parsing name: String) throws
}

extension NamedValue {
    public var description: String { name }
    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            self = try Self(parsing: try container.decode(String.self))
        } catch let error as DNNError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
