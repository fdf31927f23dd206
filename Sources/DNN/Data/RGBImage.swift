import Foundation

#if canImport(CSTB)
    import CSTB
#endif

/// An 8-bit RGB picture stored as the course's arrays are: rows of pixels, each pixel R, G, B.
///
/// Decoding, resizing and PNG encoding go through stb (Debian's libstb-dev).
public struct RGBImage: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows of pixels.
    public let height: Int
    /// height × width × 3 bytes, row-major.
    public let pixels: [UInt8]

    /// A `width`×`height` picture over `pixels`; stops with a message unless both sizes are positive and there are
    /// height × width × 3 bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        requireValid(width > 0 && height > 0, "RGBImage: size \(width)x\(height) must be positive")
        requireValid(pixels.count == width * height * 3, "RGBImage: \(pixels.count) bytes for \(width)x\(height) RGB")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// One example of image data (a column of the course's X, values in [0, 1]) as a picture of
    /// `shape` = (height, width, 3).
    public init(column values: [Double], shape: [Int]) {
        requireValid(shape.count == 3 && shape[2] == 3, "RGBImage: shape \(shape) is not (height, width, 3)")
        self.init(
            width: shape[1], height: shape[0],
            pixels: values.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) })
    }

    /// The course's input column for this picture: flattened row-major, divided by 255 (n×1).
    public var column: Matrix {
        Matrix(rows: pixels.count, cols: 1, scalars: pixels.map { Double($0) / 255 })
    }
}

#if canImport(CSTB)
    extension RGBImage {
        /// Reads a JPEG or PNG (or any format stb decodes) and converts it to RGB: grey is repeated
        /// into the three channels, alpha is dropped, CMYK is converted. What stb cannot decode (not
        /// an image, truncated, an unsupported variant) is an error naming the file and stb's reason.
        public init(contentsOf path: String) throws {
            let data = try readWholeFile(path, what: "a picture")
            let bytes = [UInt8](data)
            // stb decodes a JPEG cut short without complaint, filling the rest with grey; refuse it.
            if bytes.starts(with: [0xFF, 0xD8]) && !Self.hasEndOfImage(bytes) {
                throw DNNError("\(path): truncated JPEG (no end-of-image marker)")
            }
            // stb also decodes a GIF cut short (the missing part blank); a whole GIF ends with the
            // terminator of its last block and its trailer (00 3B), and a whole PNG has its IEND chunk.
            if bytes.starts(with: Array("GIF8".utf8)) && !bytes.suffix(2).elementsEqual([0x00, 0x3B]) {
                throw DNNError("\(path): truncated GIF (no trailer)")
            }
            if bytes.starts(with: Self.pngSignature) && !Self.contains(Array("IEND".utf8), in: bytes.suffix(64)) {
                throw DNNError("\(path): truncated PNG (no IEND chunk)")
            }
            guard bytes.count <= Int(Int32.max) else {
                throw DNNError("\(path): larger than 2 GB; not a picture to read")
            }
            // A PNG's size is in its header (IHDR, bytes 16–23, big-endian), checked before stb, whose
            // own limit (2³⁰ bytes) would be reported as "unknown image type".
            if bytes.starts(with: Self.pngSignature), bytes.count >= 24 {
                let field = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
                try Self.requireAtMostMaximumPixels(width: field(16), height: field(20), path)
            }
            var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
            guard stbi_info_from_memory(bytes, Int32(bytes.count), &width, &height, &channels) == 1 else {
                throw DNNError("\(path): not an image that can be read (\(Self.failureReason()))")
            }
            // A PNM header alone ("P6\n") reads as a picture of 0x0 pixels.
            guard width >= 1, height >= 1 else {
                throw DNNError("\(path): a picture of \(width)x\(height) pixels (damaged or truncated)")
            }
            // Checked from the header, before any pixel is decoded (a few hundred bytes can claim gigapixels).
            try Self.requireAtMostMaximumPixels(width: Int(width), height: Int(height), path)
            guard let decoded = stbi_load_from_memory(bytes, Int32(bytes.count), &width, &height, &channels, 3) else {
                throw DNNError("\(path): cannot decode the image (\(Self.failureReason()))")
            }
            defer { stbi_image_free(decoded) }
            self.init(
                width: Int(width), height: Int(height),
                pixels: Array(UnsafeBufferPointer(start: decoded, count: Int(width * height * 3))))
        }

        private static func requireAtMostMaximumPixels(width: Int, height: Int, _ path: String) throws {
            guard let pixels = ResourceLimits.bytes([width, height], each: 1), pixels <= maximumPixels else {
                throw DNNError(
                    "\(path): \(width)x\(height) pixels, more than the \(maximumPixels) a picture may have here")
            }
        }

        /// The first bytes of every PNG file (its signature begins "\x89PNG").
        private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47]

        /// The largest picture read: 50 megapixels (150 MB of RGB; a phone's photo has 12–50).
        public static let maximumPixels = 50_000_000

        private static func contains(_ pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Bool {
            let bytes = Array(bytes)
            guard bytes.count >= pattern.count else { return false }
            return (0...(bytes.count - pattern.count)).contains { Array(bytes[$0..<$0 + pattern.count]) == pattern }
        }

        private static func hasEndOfImage(_ bytes: [UInt8]) -> Bool {
            let tail = bytes.suffix(256)
            return zip(tail, tail.dropFirst()).contains { $0 == 0xFF && $1 == 0xD9 }
        }

        private static func failureReason() -> String {
            let reason = stbi_failure_reason().map { String(cString: $0) } ?? ""
            return reason.isEmpty ? "damaged or truncated" : reason
        }

        /// The picture resampled to `width`×`height` (stb's default filters: Mitchell when shrinking,
        /// Catmull-Rom when enlarging), as the course resizes a photo to 64×64 before predicting.
        public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
            var output = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
            let status = stbir_resize_uint8(
                pixels, Int32(width), Int32(height), 0, &output, Int32(newWidth), Int32(newHeight), 0, 3)
            requireValid(
                status == 1, "RGBImage.resized: stb could not resize \(width)x\(height) to \(newWidth)x\(newHeight)")
            return RGBImage(width: newWidth, height: newHeight, pixels: output)
        }

        /// The picture encoded as PNG.
        public func pngData() -> Data {
            var data = Data()
            withUnsafeMutablePointer(to: &data) { pointer in
                _ = stbi_write_png_to_func(
                    { context, bytes, count in
                        let data = context!.assumingMemoryBound(to: Data.self)
                        data.pointee.append(bytes!.assumingMemoryBound(to: UInt8.self), count: Int(count))
                    }, pointer, Int32(width), Int32(height), 3, pixels, Int32(width * 3))
            }
            return data
        }
    }
#endif
