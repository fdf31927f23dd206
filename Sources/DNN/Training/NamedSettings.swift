/// What an optimiser and a learning-rate schedule have in common as values: a name (from their
/// registry) and numeric settings by name. Two are equal when both are; they print as
/// `adam (beta1 0.9, beta2 0.999, epsilon 1e-08)` and are stored as `{"name": "adam", "beta1": 0.9, …}`.
protocol NamedSettingsValue: Hashable, CustomStringConvertible, Codable {
    var name: String { get }
    /// The settings in their order.
    var settingValues: [(name: String, value: Double)] { get }
    /// The value named `name` from its registry, with the settings it takes.
    init(named name: String, settings: [String: Double]) throws
}

/// Any key of a JSON object.
struct SettingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    static let name = SettingKey(stringValue: "name")
}

extension NamedSettingsValue {
    public var description: String {
        let settings = settingValues
        return settings.isEmpty
            ? name : "\(name) (\(settings.map { "\($0.name) \($0.value)" }.joined(separator: ", ")))"
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.settingValues.map(\.value) == b.settingValues.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        for setting in settingValues { hasher.combine(setting.value) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SettingKey.self)
        try container.encode(name, forKey: .name)
        for setting in settingValues {
            try container.encode(setting.value, forKey: SettingKey(stringValue: setting.name))
        }
    }

    /// Reads `{"name": …, setting: value, …}`; an unknown name, an unknown setting or one out of
    /// its range is a decoding error that names it.
    init(decodingNamed container: KeyedDecodingContainer<SettingKey>) throws {
        let name = try container.decode(String.self, forKey: .name)
        var settings = [String: Double]()
        for key in container.allKeys where key.stringValue != "name" {
            settings[key.stringValue] = try container.decode(Double.self, forKey: key)
        }
        try self.init(checkedName: name, settings: settings, container: container)
    }

    /// `init(named:settings:)`, refusing settings the value does not take, errors as decoding errors.
    init(checkedName name: String, settings: [String: Double], container: KeyedDecodingContainer<SettingKey>) throws {
        do {
            let known = try Self(named: name, settings: [:]).settingValues.map(\.name)
            guard Set(settings.keys).isSubset(of: known) else {
                throw DNNError("\(name): unknown settings \(settings.keys.sorted())")
            }
            self = try Self(named: name, settings: settings)
        } catch let error as DNNError {
            throw DecodingError.dataCorruptedError(forKey: .name, in: container, debugDescription: error.message)
        }
    }
}
