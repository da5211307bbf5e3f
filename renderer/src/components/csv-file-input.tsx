import { useId } from 'react';
import './field.css';

/** A labelled file picker for CSV files; hands the file's name and text to the caller (main never opens paths). */
export function CsvFileInput({
  label,
  disabled,
  onFile,
}: {
  label: string;
  disabled?: boolean;
  onFile: (file: { fileName: string; content: string }) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept=".csv,text/csv"
        disabled={disabled}
        onChange={async (event) => {
          const file = event.target.files?.[0];
          if (!file) return;
          onFile({ fileName: file.name, content: await file.text() });
          event.target.value = '';
        }}
      />
    </div>
  );
}
