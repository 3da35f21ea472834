// SPDX-License-Identifier: Apache-2.0
// web/src/app/formErrors.js -- a form's error state: one message per field (shown
// under the field), one for the form (shown above the buttons), the server's
// errors put next to the field they name, and focus moved to the first field
// that needs fixing.
import { nextTick, reactive, ref } from 'vue';

export function useFormErrors(fieldNames) {
  const fields = reactive(Object.fromEntries(fieldNames.map((f) => [f, ''])));
  const form = ref('');

  function clear() {
    for (const f of fieldNames) fields[f] = '';
    form.value = '';
  }

  function any() {
    return fieldNames.some((f) => fields[f]);
  }

  // Take the client's checks ({ field: message or '' }); true when one failed.
  function check(problems) {
    for (const [f, message] of Object.entries(problems)) fields[f] = message;
    return any();
  }

  // The API's error next to its field when the form has it, else for the form.
  function fromApi(e, prefix = '') {
    if (e.field && fieldNames.includes(e.field)) fields[e.field] = e.message;
    else form.value = prefix ? `${prefix}${e.message}` : e.message;
  }

  // Move focus to the first invalid control inside 'el' (a form element).
  async function focusFirst(el) {
    await nextTick();
    el?.querySelector('[aria-invalid="true"]')?.focus();
  }

  // Send an update that carries the version it read ('put'): on a version
  // conflict (409 'conflict'; a 409 'duplicate' is a field's problem) say so
  // and 'reload'; any other error goes next to its field. True when saved.
  async function saveVersioned({ put, reload, formEl, saving, conflictText, failedText }) {
    saving.value = true;
    try {
      await put();
      return true;
    } catch (e) {
      if (e.code === 'conflict') {
        form.value = conflictText;
        await reload();
      } else {
        fromApi(e, failedText);
        await focusFirst(formEl.value);
      }
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { fields, form, clear, any, check, fromApi, focusFirst, saveVersioned };
}
