/// A problem with data, a file or a setting, told in one line that names what is wrong and where
/// (the file, the line and column, the shape, the value). Thrown, never a stop: callers can
/// recover and the command line prints it as it is.
public struct DNNError: Error, CustomStringConvertible, Equatable {
    /// The one line that says what is wrong and where.
    public let message: String
    /// An error that tells `message`.
    public init(_ message: String) { self.message = message }
    /// The message, as it is.
    public var description: String { message }
}
