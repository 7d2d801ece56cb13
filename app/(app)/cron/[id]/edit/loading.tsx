// The edit form loads like the new-check form.
export { default } from '../../new/loading';
