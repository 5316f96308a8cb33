import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../src/input/decode.js';
import { detectDelimiter, firstLine } from '../../src/input/delimiter.js';
import { bytes, utf16 } from './bytes.js';

describe('detectDelimiter', () => {
  it('detects the comma of an English Excel header', () => {
    expect(detectDelimiter('First name,Last name,Email')).toBe(',');
  });

  it('detects the semicolon of a European Excel header', () => {
    expect(detectDelimiter('Vorname;Nachname;E-Mail')).toBe(';');
  });

  it('detects the tab of Excel’s "Unicode Text" (UTF-16) export', () => {
    const decoder = createDecoder();
    const file = bytes([0xff, 0xfe], utf16('Vorname\tNachname\tE-Mail\r\nJürgen\tMüller\tj@x.de\r\n', 'le'));
    const text = decoder.write(file);
    expect(decoder.encoding).toBe('utf-16le');
    expect(detectDelimiter(firstLine(text) ?? '')).toBe('\t');
  });

  it('detects a pipe', () => {
    expect(detectDelimiter('email|first_name|last_name')).toBe('|');
  });

  it('ignores a comma inside a quoted label', () => {
    expect(detectDelimiter('"Name, first";"Name, last";"E-Mail"')).toBe(';');
    expect(detectDelimiter('"Name; first","Name; last",Email')).toBe(',');
  });

  it('ignores an escaped quote ("") inside a quoted label', () => {
    expect(detectDelimiter('"The ""a;b"" label";Email;Name')).toBe(';');
  });

  it('takes a quote inside an unquoted label as text, as csv-parse does', () => {
    expect(detectDelimiter('Name 5" tall;Email;Notes')).toBe(';');
  });

  it('falls back to a comma for a header of one column', () => {
    expect(detectDelimiter('email')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });

  it('lets the most frequent win, and breaks ties in the order , ; tab |', () => {
    expect(detectDelimiter('a,b;c;d')).toBe(';');
    expect(detectDelimiter('a,b;c')).toBe(',');
    expect(detectDelimiter('a;b\tc')).toBe(';');
    expect(detectDelimiter('a\tb|c')).toBe('\t');
  });

  it('counts only the first line', () => {
    expect(detectDelimiter('a;b\nc,d,e,f')).toBe(';');
    expect(detectDelimiter('"a\nb,c,d";e\r\nf')).toBe(';');
  });

  it('finds the delimiter a header of quoted labels was written with', () => {
    const unit = fc.constantFrom('a', 'Z', ' ', ',', ';', '\t', '|', '"', '\n', 'é');
    const label = fc.string({ unit, maxLength: 8 });
    const labels = fc.array(label, { minLength: 2, maxLength: 6 });
    const quoted = (text: string): string => `"${text.replaceAll('"', '""')}"`;
    fc.assert(
      fc.property(labels, fc.constantFrom(',', ';', '\t', '|'), (header, delimiter) => {
        expect(detectDelimiter(header.map(quoted).join(delimiter))).toBe(delimiter);
      }),
    );
  });
});

describe('firstLine', () => {
  it('returns the first line once it is ended by LF, CRLF or CR', () => {
    expect(firstLine('email,name\nann@example.com,Ann')).toBe('email,name');
    expect(firstLine('email,name\r\nann@example.com,Ann')).toBe('email,name');
    expect(firstLine('email,name\rann@example.com,Ann')).toBe('email,name');
    expect(firstLine('email,name\r')).toBe('email,name');
  });

  it('returns null while no line break has been read', () => {
    expect(firstLine('email,na')).toBeNull();
    expect(firstLine('')).toBeNull();
  });

  it('does not end the line at a line break inside a quoted label', () => {
    expect(firstLine('"Notes\non two lines",email')).toBeNull();
    expect(firstLine('"Notes\r\non two lines",email\r\nx,y')).toBe('"Notes\r\non two lines",email');
  });

  it('returns an empty line for text that starts with a line break', () => {
    expect(firstLine('\r\nemail')).toBe('');
  });

  it('returns the same line for any text that follows a complete one', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\r', '\n'), maxLength: 20 });
    fc.assert(
      fc.property(text, text, (head, more) => {
        const line = firstLine(head);
        if (line !== null) expect(firstLine(head + more)).toBe(line);
      }),
    );
  });
});
