/** Width and height from a JPEG's start-of-frame marker; throws unless the data starts as a JPEG. */
export function jpegSize(data: Buffer): { width: number; height: number } {
  if (data[0] !== 0xff || data[1] !== 0xd8) throw new Error('not a JPEG (no FF D8 at the start)');
  for (let i = 2; i + 8 < data.length; ) {
    const marker = data[i + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xc2)
      return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7) };
    i += 2 + data.readUInt16BE(i + 2);
  }
  throw new Error('no SOF marker');
}
