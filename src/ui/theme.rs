//! The window's look: a restrained palette for light and dark, generous
//! spacing, and the text sizes every view shares.

use egui::{Color32, CornerRadius, FontFamily, FontId, Stroke, TextStyle, Visuals};

use crate::core::settings::Theme;

/// Space around a view's content.
pub const PAGE_MARGIN: f32 = 24.0;
/// Space between the sections of a view.
pub const SECTION_GAP: f32 = 18.0;
/// Widest a column of text gets, so lines stay readable on a wide window.
pub const READABLE_WIDTH: f32 = 680.0;
/// Text size of the big countdowns and counters.
pub const HUGE_NUMBER: f32 = 72.0;
/// Text size of the countdowns on the Today cards.
pub const CARD_NUMBER: f32 = 28.0;

/// The colours the views pick from, for the theme shown now.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Calm accent: primary buttons, progress, selected tab.
    pub accent: Color32,
    /// Text on the accent colour.
    pub on_accent: Color32,
    /// Background of cards.
    pub card: Color32,
    /// Card outline.
    pub card_stroke: Color32,
    /// Secondary text.
    pub muted: Color32,
    /// Banner background for warnings.
    pub warn_bg: Color32,
    /// Banner text for warnings.
    pub warn_fg: Color32,
    /// Error messages beside fields.
    pub error: Color32,
    /// Good news: done, all good.
    pub good: Color32,
}

impl Palette {
    /// The palette for a dark or light theme.
    pub fn for_dark(dark: bool) -> Self {
        if dark {
            Self {
                accent: Color32::from_rgb(0x6f, 0xc2, 0xad),
                on_accent: Color32::from_rgb(0x10, 0x22, 0x1d),
                card: Color32::from_rgb(0x26, 0x2b, 0x2d),
                card_stroke: Color32::from_rgb(0x36, 0x3d, 0x40),
                muted: Color32::from_rgb(0xa4, 0xae, 0xb0),
                warn_bg: Color32::from_rgb(0x4a, 0x3d, 0x1e),
                warn_fg: Color32::from_rgb(0xf4, 0xdf, 0xa8),
                error: Color32::from_rgb(0xff, 0x9a, 0x8a),
                good: Color32::from_rgb(0x8f, 0xd6, 0x9a),
            }
        } else {
            Self {
                accent: Color32::from_rgb(0x1f, 0x7a, 0x68),
                on_accent: Color32::WHITE,
                card: Color32::WHITE,
                card_stroke: Color32::from_rgb(0xdc, 0xe1, 0xde),
                muted: Color32::from_rgb(0x55, 0x60, 0x5c),
                warn_bg: Color32::from_rgb(0xfb, 0xf0, 0xcf),
                warn_fg: Color32::from_rgb(0x5c, 0x44, 0x05),
                error: Color32::from_rgb(0xb3, 0x26, 0x1e),
                good: Color32::from_rgb(0x2e, 0x7d, 0x3b),
            }
        }
    }

    /// The palette matching the theme `ui` is drawn with.
    pub fn of(ui: &egui::Ui) -> Self {
        Self::for_dark(ui.visuals().dark_mode)
    }
}

/// The theme preference egui should follow for the setting.
pub fn preference(theme: Theme) -> egui::ThemePreference {
    match theme {
        Theme::System => egui::ThemePreference::System,
        Theme::Light => egui::ThemePreference::Light,
        Theme::Dark => egui::ThemePreference::Dark,
    }
}

/// Installs both light and dark styles and picks the theme to follow.
pub fn install(ctx: &egui::Context, theme: Theme) {
    for (egui_theme, dark) in [(egui::Theme::Light, false), (egui::Theme::Dark, true)] {
        ctx.style_mut_of(egui_theme, |style| {
            style.visuals = visuals(dark);
            style.text_styles = [
                (
                    TextStyle::Small,
                    FontId::new(12.5, FontFamily::Proportional),
                ),
                (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
                (
                    TextStyle::Button,
                    FontId::new(15.0, FontFamily::Proportional),
                ),
                (
                    TextStyle::Heading,
                    FontId::new(22.0, FontFamily::Proportional),
                ),
                (
                    TextStyle::Monospace,
                    FontId::new(14.0, FontFamily::Monospace),
                ),
            ]
            .into();
            let spacing = &mut style.spacing;
            spacing.item_spacing = egui::vec2(10.0, 10.0);
            spacing.button_padding = egui::vec2(14.0, 7.0);
            spacing.interact_size.y = 30.0;
            spacing.text_edit_width = 160.0;
            spacing.combo_width = 160.0;
            spacing.slider_width = 220.0;
            // A calm window: no animation on panels and collapsing headers.
            style.animation_time = 0.0;
        });
    }
    ctx.set_theme(preference(theme));
}

fn visuals(dark: bool) -> Visuals {
    let palette = Palette::for_dark(dark);
    let mut v = if dark {
        Visuals::dark()
    } else {
        Visuals::light()
    };
    let (panel, text) = if dark {
        (
            Color32::from_rgb(0x1b, 0x1f, 0x20),
            Color32::from_rgb(0xe6, 0xea, 0xe8),
        )
    } else {
        (
            Color32::from_rgb(0xf4, 0xf6, 0xf4),
            Color32::from_rgb(0x1d, 0x26, 0x23),
        )
    };
    v.panel_fill = panel;
    v.window_fill = palette.card;
    v.extreme_bg_color = if dark {
        Color32::from_rgb(0x14, 0x17, 0x18)
    } else {
        Color32::WHITE
    };
    v.faint_bg_color = palette.card;
    v.override_text_color = Some(text);
    v.hyperlink_color = palette.accent;
    v.selection.bg_fill = palette.accent.gamma_multiply(0.35);
    v.selection.stroke = Stroke::new(1.5, palette.accent);
    // Text fields stand out from the card they sit on.
    v.text_edit_bg_color = Some(if dark {
        Color32::from_rgb(0x1b, 0x1f, 0x20)
    } else {
        Color32::from_rgb(0xfa, 0xfb, 0xfa)
    });
    v.warn_fg_color = palette.warn_fg;
    v.error_fg_color = palette.error;
    let radius = CornerRadius::same(8);
    for w in [
        &mut v.widgets.noninteractive,
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.corner_radius = radius;
    }
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.0, palette.card_stroke);
    v.widgets.inactive.weak_bg_fill = if dark {
        Color32::from_rgb(0x30, 0x36, 0x38)
    } else {
        Color32::from_rgb(0xe6, 0xeb, 0xe8)
    };
    v.widgets.inactive.bg_fill = v.widgets.inactive.weak_bg_fill;
    v.widgets.inactive.bg_stroke = Stroke::new(
        1.0,
        if dark {
            Color32::from_rgb(0x45, 0x4d, 0x50)
        } else {
            Color32::from_rgb(0xc6, 0xcf, 0xcb)
        },
    );
    v.widgets.hovered.weak_bg_fill = if dark {
        Color32::from_rgb(0x3a, 0x42, 0x44)
    } else {
        Color32::from_rgb(0xd8, 0xe0, 0xdc)
    };
    v.widgets.hovered.bg_stroke = Stroke::new(1.0, palette.accent);
    v.window_corner_radius = CornerRadius::same(10);
    v
}
