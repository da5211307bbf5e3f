/**
 * A minimal protobuf encoder, just enough for ONNX's ModelProto (varints, length-delimited fields,
 * fixed32 floats, packed repeated scalars). Hand-written so the exporter needs no new dependency.
 */
export class ProtoWriter {
  private chunks: number[] = [];

  private byte(b: number): void {
    this.chunks.push(b & 0xff);
  }

  /** Unsigned varint; negative int64 values are written as their 10-byte two's complement form. */
  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const buf = new DataView(new ArrayBuffer(4));
    buf.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.byte(buf.getUint8(i));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    for (const b of value) this.chunks.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  packedInts(field: number, values: ArrayLike<number>): this {
    const inner = new ProtoWriter();
    for (let i = 0; i < values.length; i++) inner.varint(values[i]);
    return this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    const buf = new DataView(new ArrayBuffer(values.length * 4));
    for (let i = 0; i < values.length; i++) buf.setFloat32(i * 4, values[i], true);
    return this.bytes(field, new Uint8Array(buf.buffer));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
