/** A custom field of every type (SPEC §2), for the suites that render and submit them. */
export const EVERY_FIELD_TYPE = [
  { key: 'company', label: 'Company', type: 'text', max_length: 40, placeholder: 'Acme', help_text: 'As on your badge' },
  { key: 'bio', label: 'Short bio', type: 'textarea', max_length: 300 },
  { key: 'workEmail', label: 'Work e-mail', type: 'email' },
  { key: 'phone', label: 'Phone', type: 'tel', pattern: '\\+?[0-9 ]{6,20}' },
  { key: 'website', label: 'Website', type: 'url' },
  { key: 'age', label: 'Age', type: 'number', min: 16, max: 120 },
  { key: 'arrival', label: 'Arrival', type: 'date', min: '2027-05-01', max: '2027-05-12' },
  {
    key: 'dietary',
    label: 'Dietary requirements',
    type: 'select',
    options: [
      { value: 'Vegetarian', label: 'Vegetarian' },
      { value: 'Vegan', label: 'Vegan' },
    ],
  },
  {
    key: 'size',
    label: 'T-shirt size',
    type: 'radio',
    required: true,
    options: [
      { value: 'S', label: 'Small' },
      { value: 'M', label: 'Medium' },
    ],
  },
  { key: 'consent', label: 'I agree to the code of conduct', type: 'checkbox', required: true },
  {
    key: 'tracks',
    label: 'Tracks',
    type: 'multiselect',
    options: [
      { value: 'web', label: 'Web' },
      { value: 'data', label: 'Data' },
      { value: 'ops', label: 'Ops' },
    ],
  },
  { key: 'hidden', label: 'Not asked any more', type: 'text', enabled: false },
];
