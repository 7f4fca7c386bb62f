#!/usr/bin/python3
# test-a11y.py — Copyright 2026 The Vitalscan authors, GPL-3.0-or-later.
#
# What a screen reader (Orca) gets from the real app: the app runs with its AT-SPI bridge on a
# private session bus (a11y-run.sh), and this walks the AT-SPI tree in each state a clinician
# meets — the live view, a recording, a result, a toast, Preferences (every row, the combo
# rows' values and their popup items), History, and an error page — driving the app through
# AT-SPI actions as Orca's user does with the keyboard.
#
# The rule, checked on what is on screen (GTK 4.8 reports hidden stack pages as "visible" and
# never sets "showing", so on screen means non-zero extents): every focusable object and every
# control (a button, entry, combo box, switch, check box, spin button, list or menu item, page
# tab) has a name a person can hear — not empty, not a widget type ("GtkImage",
# "AdwGizmo", "GtkFlowBoxChild"), not a label said twice ("Start Scan Start Scan"), with no
# mnemonic underscore ("_Send with scans"). Unnamed fillers and images that are not controls
# (libadwaita's internals, decorative icons) are not read by Orca as they have no name, and
# are left alone.
#
# After each transition the test checks what Orca speaks of it: the focus moves to what just
# appeared, and the status (countdown, face, provisional heart rate, result, error fix-it, a
# toast) is in the focused control's description, which Orca speaks when it changes.
#
# Usage: test-a11y.py APP  (TAP on stdout; run through a11y-run.sh)
import os
import re
import subprocess
import sys
import tempfile
import time

import pyatspi
from gi.repository import Atspi

# Under a sanitizer or a busy machine the app answers slowly: wait for it, not 25 s.
Atspi.set_timeout(120000, 120000)

APP = sys.argv[1] if len(sys.argv) > 1 else 'vitalscan'
DUMP = os.environ.get('VITAL_A11Y_DUMP') == '1'

CONTROL_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button', 'combo box', 'text',
    'password text', 'entry', 'spin button', 'slider', 'menu item', 'check menu item',
    'radio menu item', 'list item', 'page tab', 'switch', 'link', 'table row',
}
TYPE_NAME = re.compile(r'^(Gtk|Adw|Vital)[A-Z][A-Za-z]*$')
MNEMONIC = re.compile(r'(^|[^_])_[^\W_]')

n_tests = 0
n_failed = 0


def tap(ok, what, detail=''):
    global n_tests, n_failed
    n_tests += 1
    if not ok:
        n_failed += 1
    print(('ok' if ok else 'not ok') + f' {n_tests} - {what}', flush=True)
    if detail and not ok:
        for line in detail.splitlines():
            print('# ' + line, flush=True)


def bad_name(name):
    """Why @name cannot be heard as a control's name, or None."""
    name = (name or '').strip()
    if not name:
        return 'no name'
    if TYPE_NAME.match(name):
        return 'a widget type as name'
    if MNEMONIC.search(name):
        return 'a mnemonic underscore in the name'
    words = name.split(' ')
    if len(words) % 2 == 0 and len(words) >= 2:
        half = len(words) // 2
        if words[:half] == words[half:]:
            return 'the label said twice'
    return None


def states(acc):
    try:
        return {pyatspi.stateToString(s) for s in acc.getState().getStates()}
    except Exception:
        return set()


def on_screen(acc):
    try:
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return e.width > 0 and e.height > 0
    except Exception:
        return False


def children(acc):
    try:
        n = acc.childCount
    except Exception:
        return []
    out = []
    for i in range(n):
        try:
            c = acc.getChildAtIndex(i)
        except Exception:
            c = None
        if c is not None:
            out.append(c)
    return out


def walk(acc, depth=0):
    """Every object on screen under @acc, with its depth. A container without extents may
    still hold children on screen (GTK 4.8 gives some none), so the whole tree is walked."""
    if on_screen(acc):
        yield acc, depth
    for c in children(acc):
        yield from walk(c, depth + 1)


def info(acc):
    try:
        return f'[{acc.getRoleName()}] {acc.name!r} ({acc.description!r})'
    except Exception as e:
        return f'<gone: {e}>'


class App:
    def __init__(self, args, env=None):
        self.env = dict(os.environ)
        if env:
            self.env.update(env)
        self.proc = subprocess.Popen([APP] + args, env=self.env)
        self.acc = None
        self.acc = wait_for(self.find_app, 30, 'the app on the AT-SPI bus')

    def find_app(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for a in children(desktop):
            try:
                if a.get_process_id() == self.proc.pid:
                    return a
            except Exception:
                continue
        return None

    def windows(self):
        return [w for w in children(self.acc) if on_screen(w)]

    def window(self, name=None):
        for w in self.windows():
            if name is None or w.name == name:
                return w
        return None

    def find(self, role, name=None, within=None, pred=None):
        roots = [within] if within is not None else self.windows()
        for root in roots:
            for acc, _ in walk(root):
                try:
                    if acc.getRoleName() != role:
                        continue
                    if name is not None and not (
                        acc.name == name if isinstance(name, str) else name.search(acc.name)
                    ):
                        continue
                    if pred is not None and not pred(acc):
                        continue
                    return acc
                except Exception:
                    continue
        return None

    def focused(self):
        for root in self.windows():
            for acc, _ in walk(root):
                if 'focused' in states(acc):
                    return acc
        return None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait_for(cond, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            v = cond()
        except Exception:
            v = None
        if v:
            return v
        time.sleep(0.2)
    raise TimeoutError(f'timed out after {seconds} s waiting for {what}')


def press(acc):
    """Activates @acc as Orca's user does (its default action), or the button inside it (a
    GtkMenuButton is a group around its toggle button)."""
    try:
        action = acc.queryAction()
        if action.nActions == 0:
            raise NotImplementedError
    except NotImplementedError:
        for c in children(acc):
            if c.getRoleName() in CONTROL_ROLES:
                return press(c)
        raise
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'press', 'toggle'):
            action.doAction(i)
            return
    action.doAction(0)


def dump(app, state):
    if not DUMP:
        return
    print(f'# --- {state}')
    for w in app.windows():
        for acc, depth in walk(w):
            st = states(acc)
            mark = ('F' if 'focusable' in st else '') + ('*' if 'focused' in st else '')
            print('# ' + '  ' * depth + info(acc) + ' ' + mark)


def check_names(app, state, window=None):
    """The rule above, on every window of the app (or @window) as it is now."""
    dump(app, state)
    problems = []
    for w in ([window] if window is not None else app.windows()):
        for acc, _ in walk(w):
            try:
                role = acc.getRoleName()
                name = acc.name
            except Exception:
                continue
            if 'focusable' not in states(acc) and role not in CONTROL_ROLES:
                continue
            why = bad_name(name)
            if why:
                problems.append(f'{info(acc)}: {why}')
    tap(not problems, f'{state}: every control on screen has a name to hear', '\n'.join(problems))


def check_focus(app, state, pred, what, seconds=30):
    try:
        acc = wait_for(lambda: (lambda f: f if f is not None and pred(f) else None)(app.focused()),
                       seconds, what)
        tap(True, f'{state}: {what}')
        return acc
    except TimeoutError:
        tap(False, f'{state}: {what}', 'focus is on ' + info(app.focused()))
        return None


def find_shallow(root, role, name, max_depth):
    """The first object on screen under @root, at most @max_depth levels down, of @role whose
    name matches the regular expression @name."""
    level = [root]
    for _ in range(max_depth):
        following = []
        for acc in level:
            for c in children(acc):
                try:
                    if c.getRoleName() == role and name.search(c.name) and on_screen(c):
                        return c
                except Exception:
                    continue
                following.append(c)
        level = following
    return None


def desc(acc):
    try:
        return acc.description or ''
    except Exception:
        return ''


KEYSYMS = {'Return': 0xff0d, 'Escape': 0xff1b}


def key(name):
    """A real key press (XTest, through the AT-SPI registry), as a keyboard user makes it."""
    pyatspi.Registry.generateKeyboardEvent(KEYSYMS[name], None, pyatspi.KEY_SYM)


def check_preferences(app):
    """Preferences through the main menu: every row named, combo rows with their value, the
    popup's items named."""
    press(app.find('push button', 'Main Menu'))
    item = wait_for(lambda: app.find('menu item', re.compile('Preferences')), 10,
                    'the Preferences menu item')
    check_names(app, 'main menu')
    press(item)
    prefs = wait_for(lambda: app.window('Preferences'), 10, 'Preferences')
    time.sleep(0.5)
    check_names(app, 'Preferences', prefs)
    for title, value in (('Process Scans', 'On this device'), ('Scan Length', 'seconds')):
        combo = app.find('combo box', title, within=prefs)
        tap(combo is not None and value in desc(combo),
            f'Preferences: the {title} combo row says its value', info(combo))
    # The first row has the focus when Preferences opens; Return opens its popup.
    combo = app.find('combo box', 'Process Scans', within=prefs)
    wait_for(lambda: 'focused' in states(combo), 5, 'focus on the combo row')
    key('Return')
    try:
        wait_for(lambda: app.find('label', 'On a server', within=prefs), 10, 'the popup')
        item = app.find('list item', 'On a server', within=prefs)
        tap(item is not None, 'Preferences: the popup\'s items are named',
            'no list item named "On a server"')
    except TimeoutError as e:
        tap(False, 'Preferences: the popup opens', str(e))
    check_names(app, 'Preferences, the combo row\'s popup', prefs)
    key('Escape')
    return prefs


def scenario_scan():
    """The demo subject on this device: live view, recording, result, toast, Preferences."""
    # the default 30 s: under ASan on a busy machine 15 s of the demo can hold too few frames
    # for a pulse, and the result state would be an error page
    app = App(['--demo', '--scan-seconds', '30'])
    try:
        start = wait_for(lambda: app.find('push button', re.compile('Start Scan')), 20,
                         'Start Scan')
        check_names(app, 'live view')
        check_focus(app, 'live view', lambda f: 'Start Scan' in f.name,
                    'focus on Start Scan')

        # the demographics popover: its check box and fields
        press(app.find('push button', 'Demographics'))
        try:
            wait_for(lambda: app.find('check box', re.compile('Send with scans')), 10,
                     'the demographics popover')
            check_names(app, 'demographics popover')
        except TimeoutError as e:
            tap(False, 'demographics popover: opens', str(e))
        key('Escape')
        wait_for(lambda: app.find('check box', re.compile('Send with scans')) is None, 10,
                 'the popover to close')

        press(start)
        cancel = check_focus(app, 'recording', lambda f: 'Cancel' in f.name,
                             'focus moves to Cancel')
        check_names(app, 'recording')
        if cancel is not None:
            try:
                wait_for(lambda: re.search(r'\d+ s left', desc(cancel)), 10, 'countdown')
                tap(True, 'recording: Cancel describes the countdown')
            except TimeoutError:
                tap(False, 'recording: Cancel describes the countdown', info(cancel))
            try:
                wait_for(lambda: re.search(r'face|bpm', desc(cancel)), 10, 'face state')
                tap(True, 'recording: Cancel describes the face and heart rate', desc(cancel))
            except TimeoutError:
                tap(False, 'recording: Cancel describes the face and heart rate', info(cancel))

        new_scan = check_focus(app, 'result', lambda f: 'New Scan' in f.name,
                               'focus moves to New Scan', 180)
        check_names(app, 'result')
        d = desc(new_scan) if new_scan is not None else ''
        tap(bool(re.search(r'[Cc]onfidence', d)) and 'Heart rate' in d and 'Signal' in d and
            'not a medical device' in d,
            'result: New Scan describes the banner, the values, the signal and the disclaimer', d)

        # A cancelled scan is a toast: its text reaches the focused control, its close
        # button has a name.
        # (found by its text when it does not have the focus, so the states after it are
        # still checked)
        new_scan = new_scan or wait_for(lambda: app.find('push button', re.compile('New Scan')),
                                        60, 'New Scan')
        press(new_scan)
        cancel = wait_for(lambda: app.find('push button', re.compile('Cancel')), 20,
                          'a new recording')
        time.sleep(1)
        press(cancel)
        # the toast first: it goes after a few seconds
        def toast_and_buttons():
            # (a shallow search: a toast lasts seconds, and a whole walk under ASan is slower)
            label = find_shallow(app.window(), 'label', re.compile('^Scan cancelled'), 14)
            if label is None:
                return None
            # the close button sits a level or two above the toast's label; a toast that left
            # while it was looked at has none: look again
            node = label
            for _ in range(3):
                node = node.parent
                if node is None:
                    return None
                buttons = [a for a, _ in walk(node) if a.getRoleName() == 'push button']
                if buttons:
                    return label, buttons
            return None
        try:
            toast, buttons = wait_for(toast_and_buttons, 10, 'the toast')
        except TimeoutError:
            toast, buttons = None, []
        tap(toast is not None, 'toast: on screen', '')
        tap(buttons and not any(bad_name(b.name) for b in buttons),
            'toast: its close button has a name', ', '.join(info(b) for b in buttons))
        # Start Scan itself is watched (its states and description), not the whole tree
        try:
            focus = wait_for(lambda: start if 'focused' in states(start) else None, 30,
                             'focus on Start Scan')
            tap(True, 'toast: focus back on Start Scan')
        except TimeoutError:
            focus = None
            tap(False, 'toast: focus back on Start Scan', 'focus is on ' + info(app.focused()))
        try:
            wait_for(lambda: 'cancel' in desc(focus).lower(), 5, 'the toast')
        except TimeoutError:
            pass
        d = desc(focus) if focus is not None else ''
        tap('cancel' in d.lower(), 'toast: the focused control describes the toast', d)
        check_names(app, 'toast')

        check_preferences(app)
    finally:
        app.stop()


def scenario_server_error():
    """A server that cannot be reached: the error page, and History with its server sessions."""
    home = tempfile.mkdtemp(prefix='vital-a11y-')
    settings = os.path.join(home, 'glib-2.0', 'settings')
    os.makedirs(settings)
    with open(os.path.join(settings, 'keyfile'), 'w') as f:
        f.write("[io/github/vitalscan/Vitalscan]\nbackend='server'\n"
                "server-url='http://127.0.0.1:9'\n")
    app = App(['--demo', '--scan-seconds', '6'],
              env={'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': home})
    try:
        start = wait_for(lambda: app.find('push button', re.compile('Start Scan')), 20,
                         'Start Scan')
        press(start)
        page = wait_for(lambda: app.find('label', re.compile('server', re.I),
                                         pred=lambda a: len(a.name) > 60), 60,
                        'the error page\'s explanation')
        focus = check_focus(app, 'error page', lambda f: f.getRoleName() == 'push button' and
                            f.name != 'Cancel', 'focus on the page\'s first action', 120)
        check_names(app, 'error page')
        first_line = page.name.split('\n')[0]
        tap(focus is not None and first_line in desc(focus),
            'error page: the focused action describes the fix',
            f'{info(focus)}\nwant: {first_line}')

        press(app.find('page tab', 'History'))
        wait_for(lambda: app.find('label', re.compile('Server Sessions')), 10, 'History')
        check_names(app, 'History with server sessions')
        press(app.find('page tab', 'Scan'))
    finally:
        app.stop()


def main():
    print('TAP version 13', flush=True)
    for scenario in (scenario_scan, scenario_server_error):
        try:
            scenario()
        except Exception as e:
            tap(False, f'{scenario.__name__} ran to its end', repr(e))
    print(f'1..{n_tests}', flush=True)
    return 1 if n_failed else 0


if __name__ == '__main__':
    sys.exit(main())
